#include "prospect/app/sleeper.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

using prospect::app::sleeper;
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST_CASE("a sleep that runs its course returns true") {
    asio::io_context io;
    sleeper s(io.get_executor());
    std::optional<bool> result;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { result = co_await s.sleep_for(1ms); }, asio::detached);
    io.run();
    CHECK(result == true);
}

TEST_CASE("wake_all cuts a long sleep short") {
    asio::io_context io;
    sleeper s(io.get_executor());
    std::optional<bool> result;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { result = co_await s.sleep_for(1h); }, asio::detached);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { s.wake_all(); co_return; }, asio::detached);
    io.run();
    CHECK(result == false);
}

TEST_CASE("wake_all cuts short a sleep whose timer expired but whose completion has not run yet") {
    asio::io_context io;
    sleeper s(io.get_executor());
    std::optional<bool> result;
    // The waker's timer expires first, so its completion runs first, while
    // the sleeper's completion (expired in the same pass) already waits in
    // the queue where cancel() cannot reach it.
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            prospect::app::run_timer t(io, 0ms);  // the sleeper's own timer queue: both expire in one pass
            co_await t.async_wait(asio::use_awaitable);
            s.wake_all();
        },
        asio::detached);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { result = co_await s.sleep_for(0ms); }, asio::detached);
    io.run();
    CHECK(result == false);
}
