// Runs one test scenario, a coroutine, on its own io_context until it and
// everything it started are done; rethrows what it threw (a failed REQUIRE).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <exception>
#include <functional>

namespace prospect::test {

inline void run_scenario(const std::function<boost::asio::awaitable<void>(boost::asio::any_io_executor)>& body) {
    boost::asio::io_context io;
    std::exception_ptr failure;
    bool done = false;
    boost::asio::co_spawn(io, body(io.get_executor()), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
    REQUIRE(done);
}

}  // namespace prospect::test
