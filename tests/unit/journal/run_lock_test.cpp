#include "prospect/journal/run_lock.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace prospect::journal;
using namespace std::chrono;

namespace {

const auto t0 = sys_days{year{2026} / 11 / 27} + hours{10};

std::string held_message(const std::string& journal) {
    try {
        run_lock second(journal, t0);
    } catch (const lock_held& e) {
        return e.what();
    }
    FAIL("no lock_held");
    return {};
}

// Blocks until the pipe has a byte (or EOF); the child's signal that it holds the lock.
char read_byte(int fd) {
    char c = 0;
    while (::read(fd, &c, 1) < 0 && errno == EINTR) {}
    return c;
}

}  // namespace

TEST_CASE("holder text round-trips and incomplete text names no holder") {
    lock_holder h{1234, "2026-11-27T10:00:00Z"};
    CHECK(parse_lock_holder(format_lock_holder(h)) == h);
    CHECK_FALSE(parse_lock_holder(""));
    CHECK_FALSE(parse_lock_holder("pid 1234\n"));
    CHECK_FALSE(parse_lock_holder("pid 1234\nstarted 2026-11-27T10:0"));
    CHECK_FALSE(parse_lock_holder("pid x\nstarted 2026-11-27T10:00:00Z\n"));
    CHECK(iso8601_utc(t0) == "2026-11-27T10:00:00Z");
    CHECK(lock_held_message("/j", h) ==
          "another prospect-import run (PID 1234, started 2026-11-27T10:00:00Z) holds the lock on /j");
    CHECK(lock_held_message("/j", std::nullopt).find("holds the lock on /j") != std::string::npos);
}

TEST_CASE("a second lock on the same journal fails at once, naming the holder, and is released on close") {
    prospect::test::temp_dir dir;
    auto journal = dir / "run.journal";
    {
        run_lock first(journal, t0);
        CHECK(first.lock_path() == journal + ".lock");
        CHECK(held_message(journal) == "another prospect-import run (PID " + std::to_string(::getpid()) +
                                           ", started 2026-11-27T10:00:00Z) holds the lock on " + journal);
    }
    run_lock again(journal, t0 + hours{1});
    CHECK(prospect::test::read_file(journal + ".lock").find("started 2026-11-27T11:00:00Z") != std::string::npos);
}

TEST_CASE("a lock held by another process is refused and kill -9 of the holder releases it") {
    prospect::test::temp_dir dir;
    auto journal = dir / "run.journal";
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(ready[0]);
        try {
            run_lock held(journal, t0);
            char c = 'L';
            [[maybe_unused]] auto n = ::write(ready[1], &c, 1);
            ::pause();
        } catch (...) {
        }
        ::_exit(1);
    }
    ::close(ready[1]);
    REQUIRE(read_byte(ready[0]) == 'L');
    CHECK(held_message(journal).find("(PID " + std::to_string(pid) + ",") != std::string::npos);

    REQUIRE(::kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    ::close(ready[0]);
    CHECK_NOTHROW(run_lock(journal, t0));
}

TEST_CASE("an unopenable lock path is a system error, not lock_held") {
    CHECK_THROWS_AS(run_lock("/nonexistent/dir/j", t0), std::system_error);
}
