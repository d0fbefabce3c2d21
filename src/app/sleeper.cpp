// A timer whose expiry is already queued cannot be cancelled: counting the
// wakes, not trusting operation_aborted, is what makes a wake reliable (a
// run once hung at its end, its chores sleeping again after the last wake).
#include "prospect/app/sleeper.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace prospect::app {

namespace asio = boost::asio;

asio::awaitable<bool> sleeper::sleep_for(std::chrono::steady_clock::duration d) {
    const auto wakes = wakes_;
    run_timer timer(executor_, d);
    timers_.insert(&timer);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    timers_.erase(&timer);
    co_return !ec && wakes == wakes_;
}

asio::awaitable<void> sleeper::wait() {
    co_await sleep_for(std::chrono::steady_clock::duration::max() / 2);
}

void sleeper::wake_all() {
    ++wakes_;
    for (auto* t : timers_) t->cancel();
}

}  // namespace prospect::app
