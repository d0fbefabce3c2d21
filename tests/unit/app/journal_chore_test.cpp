#include "prospect/app/journal_chore.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <cerrno>
#include <optional>
#include <string>
#include <system_error>

using prospect::app::commit_periodically;
using prospect::app::sleeper;
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST_CASE("a journal commit that fails in the periodic chore reports the write failure and ends the chore") {
    asio::io_context io;
    sleeper chores(io.get_executor());
    int commits = 0;
    std::optional<std::string> failure;
    bool ended = false, threw = false;
    auto commit = [&] {
        if (++commits == 3) throw std::system_error(EFBIG, std::generic_category(), "cannot write journal j.journal");
    };
    asio::co_spawn(io, commit_periodically(chores, 1ms, commit, [&](std::string m) { failure = std::move(m); }),
                   [&](std::exception_ptr e) {
                       ended = true;
                       threw = e != nullptr;
                   });
    io.run();  // returns once the chore has ended: nothing else is pending
    CHECK(ended);
    CHECK_FALSE(threw);
    CHECK(commits == 3);
    REQUIRE(failure);
    CHECK(failure->starts_with("cannot write journal j.journal: "));
    CHECK(failure->find("large") != std::string::npos);  // EFBIG's text, "File too large"
}

TEST_CASE("the periodic journal commit ends without a failure when the run's end wakes it") {
    asio::io_context io;
    sleeper chores(io.get_executor());
    int commits = 0;
    bool failed = false, ended = false;
    asio::co_spawn(io, commit_periodically(chores, 1h, [&] { ++commits; }, [&](std::string) { failed = true; }),
                   [&](std::exception_ptr) { ended = true; });
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { chores.wake_all(); co_return; }, [](std::exception_ptr) {});
    io.run();
    CHECK(ended);
    CHECK_FALSE(failed);
    CHECK(commits == 0);
}
