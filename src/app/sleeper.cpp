// A timer that expires normally returns true; one cancelled by wake_all()
// completes with operation_aborted and returns false.
#include "prospect/app/sleeper.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace prospect::app {

namespace asio = boost::asio;

asio::awaitable<bool> sleeper::sleep_for(std::chrono::steady_clock::duration d) {
    asio::steady_timer timer(executor_, d);
    timers_.insert(&timer);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    timers_.erase(&timer);
    co_return !ec;
}

asio::awaitable<void> sleeper::wait() {
    co_await sleep_for(std::chrono::steady_clock::duration::max() / 2);
}

void sleeper::wake_all() {
    for (auto* t : timers_) t->cancel();
}

}  // namespace prospect::app
