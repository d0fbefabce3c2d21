// The pool's rate policy before policy::rate_controller (AWS adaptive mode:
// a 0.7x cut on each 429, CUBIC-shaped regrowth, a pool pause on every
// Retry-After), kept only as the baseline the rate simulations measure the
// controller against (docs/rate_control.md). The importer no longer uses it.
#pragma once

#include "prospect/policy/token_bucket.hpp"

#include <chrono>
#include <optional>

namespace prospect::policy {

struct adaptive_rate_params {
    /// --rate: the ceiling the effective rate recovers toward; <= 0 or infinity: unlimited.
    double max_rate = 5;
    /// --burst: the bucket's capacity.
    double burst = 4;
    /// Multiplier applied to the rate on a 429 (AWS SDK adaptive mode: 0.7).
    double decrease_factor = 0.7;
    /// The rate never drops below this (AWS: 0.5/s), unless max_rate itself is lower.
    double min_rate = 0.5;
    /// 429s within this long of a decrease are the same signal (requests that
    /// were already in flight), so they lower the rate only once.
    std::chrono::steady_clock::duration decrease_holdoff = std::chrono::seconds(1);
    /// The shortest time the rate takes to climb back to where it was cut (CUBIC's K).
    std::chrono::steady_clock::duration recovery_time = std::chrono::seconds(10);
    /// At low rates the climb back takes longer: at least this many requests' worth.
    double recovery_requests = 50;
    /// The longest pool pause one Retry-After may impose; longer ones are capped.
    std::chrono::steady_clock::duration max_pause = std::chrono::seconds(120);
};

// What a 429 did to the pool, for the log.
struct throttle_note {
    /// The rate was lowered (false for a 429 within the holdoff of the last decrease).
    bool rate_lowered = false;
    /// The effective rate after the 429 (requests/s; infinity when unlimited).
    double rate = 0;
    /// The pool pause this 429 asked for, after the cap (0 without Retry-After).
    std::chrono::steady_clock::duration pause{};
    /// Retry-After exceeded max_pause and was cut down to it.
    bool pause_capped = false;
    /// Retry-After as the server sent it (0 without one).
    std::chrono::steady_clock::duration requested_pause{};
};

// Regrowth follows the shape of CUBIC (RFC 9438), as the AWS SDKs' adaptive
// retry mode does: after a cut from rate W the rate climbs quickly at first,
// levels off around W, where the server last objected, and only then probes
// above it, slowly at first. Unlike CUBIC's fixed constant (AWS: 0.4
// (requests/s)/s^3, which puts a 2/s rate back at W within a second and 20%
// over it a second later) the curve is scaled to W and K is long enough that
// a cycle of cut, climb and probe spans many requests, even at low rates;
// the share of 429s is about one per cycle:
//     rate(t) = W * (1 + (1 - decrease_factor) * ((t - K) / K)^3)
//     K = max(recovery_time, recovery_requests / W)
// Additive increase would either creep back for minutes after a deep cut or
// overshoot a low server limit; this lingers near the level known to work.
//
// The rate that gets cut is the lower of the bucket's rate and the measured
// send rate: when the connections, not the bucket, limit the pace, cutting
// an unused bucket rate would change nothing.
class adaptive_rate {
public:
    using clock = std::chrono::steady_clock;

    adaptive_rate(const adaptive_rate_params& params, clock::time_point now);

    // Takes a token for one request if it may be sent now and returns 0;
    // otherwise takes nothing and returns how long to wait before asking
    // again (a pool pause in force included). Ask-again rather than
    // reserve-ahead on purpose: a reservation made at the old rate would
    // outlive a cut or a pause that happens while its holder sleeps, and
    // those sleepers would then all send at once into an overloaded server.
    clock::duration try_acquire(clock::time_point now);

    // Any response but a 429: lets the rate regrow.
    void on_success(clock::time_point now);

    // A 429, with the server's Retry-After if it sent one.
    throttle_note on_throttled(clock::time_point now, std::optional<clock::duration> retry_after);

    // A Retry-After on another status (e.g. 503): pauses the pool, keeps the rate.
    throttle_note pause_for(clock::time_point now, clock::duration retry_after);

    // Requests per second now in force (infinity while unlimited).
    double rate() const noexcept;
    // The pool sends nothing before this.
    clock::time_point paused_until() const noexcept { return paused_until_; }
    // Sends per second, smoothed over the last few half-second windows.
    double measured_rate() const noexcept { return measured_rate_; }
    const token_bucket& bucket() const noexcept { return bucket_; }

private:
    void count_send(clock::time_point now);
    void apply_rate(double rate, clock::time_point now);
    double floor_rate() const noexcept;

    adaptive_rate_params params_;
    token_bucket bucket_;
    clock::time_point paused_until_;

    bool throttled_ = false;
    clock::time_point last_decrease_{};
    double rate_at_decrease_ = 0;
    double recovery_seconds_ = 0;

    clock::time_point window_start_;
    int window_sends_ = 0;
    double measured_rate_ = 0;
};

}  // namespace prospect::policy
