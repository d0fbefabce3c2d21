#include "prospect/report/background_sync.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

using prospect::report::background_sync;

TEST_CASE("a background sync asked for is done before stop, and its error is kept for it") {
    SUBCASE("a file: no error") {
        prospect::test::temp_dir dir;
        const int fd = ::open((dir / "f").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, "x", 1) == 1);
        background_sync s(fd);
        s.request();
        s.request();
        CHECK(s.stop() == 0);
        ::close(fd);
    }
    SUBCASE("a descriptor that cannot be synced: its error, once stopped") {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        ::close(fds[0]);
        ::close(fds[1]);
        background_sync s(fds[1]);  // closed: fdatasync fails with EBADF
        s.request();
        CHECK(s.stop() == EBADF);
        CHECK(s.stop() == EBADF);  // stopping twice is harmless
    }
    SUBCASE("nothing asked: stops at once, no error") {
        background_sync s(-1);
        CHECK(s.stop() == 0);
    }
}
