// Timed waits that a stop can cut short: every wait of the pipeline (a
// token, a backoff, a pool pause) goes through one sleeper, so that stopping
// the run wakes them all at once. Single-threaded: one io_context. Its
// timers run on run_clock, so a test can drive the pipeline in simulated time.
#pragma once

#include "prospect/app/run_clock.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <chrono>
#include <cstdint>
#include <unordered_set>

namespace prospect::app {

using run_timer = boost::asio::basic_waitable_timer<run_clock, run_wait_traits>;

class sleeper {
public:
    explicit sleeper(boost::asio::any_io_executor ex) : executor_(std::move(ex)) {}

    // Sleeps for `d`; returns false if wake_all() was called meanwhile, even
    // when the timer had already expired and could no longer be cancelled.
    boost::asio::awaitable<bool> sleep_for(std::chrono::steady_clock::duration d);
    // Sleeps until wake_all() is called.
    boost::asio::awaitable<void> wait();
    void wake_all();

private:
    boost::asio::any_io_executor executor_;
    std::unordered_set<run_timer*> timers_;
    std::uint64_t wakes_ = 0;  // wake_all() calls so far
};

}  // namespace prospect::app
