// See wake_set.hpp; the same counting trick as app/sleeper, which this layer
// cannot use (app sits above it).
#include "wake_set.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace prospect::shared_limit {

namespace asio = boost::asio;

asio::awaitable<bool> wake_set::wait_until(std::chrono::steady_clock::time_point deadline) {
    const auto wakes = wakes_;
    asio::steady_timer timer(executor_, deadline);
    timers_.insert(&timer);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    timers_.erase(&timer);
    co_return !ec && wakes == wakes_;
}

asio::awaitable<void> wake_set::wait() {
    co_await wait_until(std::chrono::steady_clock::now() + std::chrono::hours(24 * 365));
}

void wake_set::wake_all() {
    ++wakes_;
    for (auto* t : timers_) t->cancel();
}

}  // namespace prospect::shared_limit
