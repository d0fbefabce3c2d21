// A token bucket shaped like Go's golang.org/x/time/rate: tokens refill
// lazily from the time passed in, rates and bursts may be fractional, and a
// reservation may drive the balance negative (the caller waits it out).
// Shared by the importer's pool and the sandbox's per-key limit.
#pragma once

#include <chrono>

namespace prospect::policy {

class token_bucket {
public:
    using clock = std::chrono::steady_clock;

    // rate <= 0 or infinity: unlimited. A burst below 1 is raised to 1, since
    // a bucket that can never hold a whole token would never admit anything.
    // The bucket starts full.
    token_bucket(double rate_per_second, double burst, clock::time_point now);

    // Sandbox style: takes a token if one is available now and returns 0;
    // otherwise takes none and returns how long until one will be (> 0).
    clock::duration try_take(clock::time_point now);

    // Importer style: reserves a token, possibly in the future (the balance
    // may go negative); returns how long to wait before using it (0 = now).
    clock::duration reserve(clock::time_point now);

    // Gives back a token reserved by reserve() whose wait was cancelled before
    // it elapsed (capped at the burst).
    void cancel_reservation(clock::time_point now);

    // Caps the balance as of `at` at `max_tokens`. `at` may lie in the future
    // (the end of a pause): calls before it see that balance and wait from
    // `at`, so what piled up cannot leave as one burst when the pause ends.
    void hold_until(clock::time_point at, double max_tokens);

    // Tokens accumulated so far are credited at the old rate up to `now`.
    void set_rate(double rate_per_second, clock::time_point now);

    double rate() const noexcept { return rate_; }
    double burst() const noexcept { return burst_; }
    bool unlimited() const noexcept { return unlimited_; }

    // The balance at `now`; negative while reservations are outstanding.
    double tokens(clock::time_point now) const noexcept;

private:
    void advance(clock::time_point now) noexcept;
    double slack() const noexcept;
    clock::duration not_before(clock::time_point now) const noexcept;
    clock::duration time_to(double missing_tokens) const noexcept;

    double rate_;
    double burst_;
    bool unlimited_;
    double tokens_;
    clock::time_point last_;
};

}  // namespace prospect::policy
