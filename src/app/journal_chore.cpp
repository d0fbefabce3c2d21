#include "prospect/app/journal_chore.hpp"

#include <exception>

namespace prospect::app {

boost::asio::awaitable<void> commit_periodically(sleeper& chores, std::chrono::steady_clock::duration interval,
                                                 std::function<void()> commit,
                                                 std::function<void(std::string)> failed) {
    while (co_await chores.sleep_for(interval)) {
        try {
            commit();
        } catch (const std::exception& e) {
            failed(e.what());
            co_return;
        }
    }
}

}  // namespace prospect::app
