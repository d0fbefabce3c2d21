// The pool's pace, every decision of it: a token bucket at a pacing rate that
// follows the server's measured delivery rate (TCP BBR's idea), short probes
// above it to find a limit that rose, and a capped pool pause only when the
// server accepts nothing at all. Pure: time is a parameter, no I/O.
#pragma once

#include "prospect/policy/token_bucket.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace prospect::policy {

struct rate_controller_params {
    using duration = std::chrono::steady_clock::duration;

    /// --rate: the ceiling, never exceeded; <= 0 or infinity: unlimited.
    double max_rate = 5;
    /// --burst: the bucket's capacity.
    double burst = 4;
    /// The pace never drops below this, unless max_rate itself is lower: a
    /// server that accepts nothing is still asked now and then.
    double min_rate = 0.5;
    /// Cruising pace as a share of the estimated limit. Just under 1: the
    /// server's own bucket refills slowly, so a stray latency spike or a
    /// measuring error does not turn into 429s.
    double cruise_gain = 0.98;
    /// A probe's pace over the estimate (BBR's 1.25). Each probe in a row that
    /// finds no limit doubles the excess (1.25, 1.5, 2) up to max_probe_gain,
    /// so a limit that tripled is found in a few probes.
    double probe_gain = 1.25;
    double max_probe_gain = 2;
    /// After the server showed it is over its limit, the pool paces this
    /// share of the new estimate for one round trip before cruising.
    double drain_gain = 0.75;
    /// Cruising time between probes: rare enough that their 429s stay a
    /// small share, frequent enough to find a raised limit within seconds.
    duration probe_interval = std::chrono::seconds(2);
    /// How long a probe sends above the estimate: long enough to drain what
    /// the server's bucket saved while the pool cruised under the limit.
    duration probe_time = std::chrono::milliseconds(500);
    /// The answers the over-limit signal looks at: the last this long of
    /// them, for requests sent at the pace now in force.
    duration signal_window = std::chrono::milliseconds(500);
    /// Over the limit means at least this many 429s in the window and at
    /// least this share of its answers: one 429 among many successes is noise.
    int min_throttled = 3;
    double min_throttled_share = 0.03;
    /// Fewest answers in the window before a 429 share means anything.
    int min_answers = 20;
    /// Successes between two moments the server was saturated measure its
    /// limit exactly (its bucket was empty at both ends); shorter intervals
    /// than this are too noisy to trust.
    duration min_cycle = std::chrono::seconds(1);
    /// The longest pool pause: one is taken only when a whole window's
    /// answers are 429s, for the Retry-After of the last one, capped here.
    duration max_pause = std::chrono::seconds(2);
};

// What an answer changed, for the log.
struct answer_note {
    /// The pacing rate went down (the server showed it was over its limit).
    bool rate_lowered = false;
    /// The pacing rate went up (a probe found no limit at its pace).
    bool rate_raised = false;
    /// The pacing rate after this answer (requests/s; infinity when unlimited).
    double rate = 0;
    /// The estimated server limit after this answer (infinity if unknown).
    double estimated_limit = 0;
    /// A pool pause this answer started, after the cap (0 if none).
    std::chrono::steady_clock::duration pause{};
    /// Retry-After exceeded max_pause and the pause was cut down to it.
    bool pause_capped = false;
};

class rate_controller {
public:
    using clock = std::chrono::steady_clock;

    rate_controller(const rate_controller_params& params, clock::time_point now);

    // Takes a token for one request if it may be sent now and returns 0;
    // otherwise takes nothing and returns how long to wait before asking
    // again. Ask-again rather than reserve-ahead: the pace may change while
    // the caller sleeps.
    clock::duration try_acquire(clock::time_point now);

    // Every answer to a request that was actually sent (a token was taken and
    // the request left): its HTTP status (0: no HTTP answer, e.g. a lost
    // connection or a timeout), its Retry-After if any, and when it was sent.
    // Only 429 is a rate signal; 0 and 5xx neither count as delivered nor as
    // throttled. Retry-After is the throttled row's business (row_fsm), not
    // the pool's, except in a capped pause when the server accepts nothing.
    answer_note on_answer(clock::time_point now, int status, std::optional<clock::duration> retry_after,
                          clock::time_point sent_at);

    // The pacing rate in force (infinity while unlimited).
    double rate() const noexcept;
    // The pool sends nothing before this (may be in the past).
    clock::time_point paused_until() const noexcept { return paused_until_; }
    // What the server is believed to allow (infinity while no limit is known).
    double estimated_limit() const noexcept { return estimate_; }
    // A probe above the estimate is under way.
    bool probing() const noexcept { return mode_ == mode::probe; }

private:
    enum class mode { unknown, cruise, probe, drain };
    struct answer {
        clock::time_point at;
        clock::time_point sent_at;
        bool ok;
    };

    void start_phase(mode m, double pace, clock::time_point now);
    void cruise(clock::time_point now);
    void start_probe(clock::time_point now);
    double window_measure() const;
    answer_note saturated(clock::time_point now, std::optional<clock::duration> retry_after);
    double clamp_pace(double pace) const noexcept;
    bool limited() const noexcept;

    rate_controller_params params_;
    token_bucket bucket_;
    clock::time_point paused_until_;

    mode mode_ = mode::unknown;
    double estimate_;
    // Pace changes start a phase; answers to requests sent before it describe
    // an older pace and are not looked at.
    clock::time_point phase_start_;
    double phase_pace_ = 0;

    std::deque<answer> window_;
    int window_ok_ = 0;
    int window_throttled_ = 0;

    double probe_gain_ = 0;
    clock::time_point probe_end_;
    std::int64_t probe_ok_ = 0;

    // The last moment the server was seen saturated, and successes since.
    bool mark_valid_ = false;
    clock::time_point mark_;
    std::int64_t ok_since_mark_ = 0;
};

}  // namespace prospect::policy
