// The clock of a run: the steady clock, unless a test runs the pipeline in
// simulated time. Its time points are the steady clock's own, so the pure
// core (which takes steady_clock time points) is the same either way, and
// every wait of the pipeline is a timer on this clock.
#pragma once

#include <chrono>

namespace prospect::app {

struct run_clock {
    using duration = std::chrono::steady_clock::duration;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::steady_clock::time_point;
    static constexpr bool is_steady = true;

    static time_point now() noexcept { return simulated_ ? *simulated_ : std::chrono::steady_clock::now(); }

    // Tests: from now on now() reads *t (the test advances it); nullptr
    // gives the steady clock back. Not for use while a second thread reads it.
    static void simulate(const time_point* t) noexcept { simulated_ = t; }
    static bool simulated() noexcept { return simulated_ != nullptr; }

private:
    static inline const time_point* simulated_ = nullptr;
};

// How long the event loop may block for a timer on run_clock. In simulated
// time, not at all: the test's loop polls, moves the clock on and needs the
// reactor to look at its timers every turn (it looks only when the timer
// descriptor fires, after the real time this returns).
struct run_wait_traits {
    static run_clock::duration to_wait_duration(run_clock::duration d) {
        return run_clock::simulated() ? run_clock::duration::zero() : d;
    }
    static run_clock::duration to_wait_duration(run_clock::time_point t) {
        return run_clock::simulated() ? run_clock::duration::zero() : t - run_clock::now();
    }
};

}  // namespace prospect::app
