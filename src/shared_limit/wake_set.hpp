// Timed waits that one call wakes all at once, for coroutines on one
// io_context: a refill's waiters, the command queue, close(). A wake is
// counted, not inferred from operation_aborted, because a timer whose expiry
// is already queued can no longer be cancelled (see app/sleeper).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <unordered_set>

namespace prospect::shared_limit {

class wake_set {
public:
    explicit wake_set(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

    // Waits until `deadline` or the next wake_all(); true if the deadline came first.
    boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline);
    // Waits until the next wake_all().
    boost::asio::awaitable<void> wait();
    void wake_all();

private:
    boost::asio::any_io_executor executor_;
    std::unordered_set<boost::asio::steady_timer*> timers_;
    std::uint64_t wakes_ = 0;
};

}  // namespace prospect::shared_limit
