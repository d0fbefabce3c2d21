#include "prospect/shared_limit/redis_url.hpp"

#include <doctest/doctest.h>

#include "prospect/shared_limit/error.hpp"

using namespace prospect::shared_limit;

TEST_CASE("redis://HOST:PORT gives the host and port, database 0") {
    auto ep = parse_redis_url("redis://cache.internal:6380");
    CHECK(ep.host == "cache.internal");
    CHECK(ep.port == 6380);
    CHECK(ep.db == 0);
    CHECK_FALSE(ep.is_unix());
}

TEST_CASE("redis://HOST without a port uses 6379") {
    auto ep = parse_redis_url("redis://127.0.0.1");
    CHECK(ep.host == "127.0.0.1");
    CHECK(ep.port == 6379);
}

TEST_CASE("a path after the authority selects the database") {
    CHECK(parse_redis_url("redis://h:1/3").db == 3);
    CHECK(parse_redis_url("redis://h:1/").db == 0);
}

TEST_CASE("an IPv6 literal is written in brackets") {
    auto ep = parse_redis_url("redis://[::1]:7000/2");
    CHECK(ep.host == "::1");
    CHECK(ep.port == 7000);
    CHECK(ep.db == 2);
}

TEST_CASE("unix:///PATH names a socket file, ?db=N a database") {
    auto ep = parse_redis_url("unix:///run/redis/redis.sock");
    CHECK(ep.is_unix());
    CHECK(ep.socket_path == "/run/redis/redis.sock");
    CHECK(ep.db == 0);
    CHECK(parse_redis_url("unix:///tmp/r.sock?db=4").db == 4);
}

TEST_CASE("anything else is refused with the option and the URL in the message") {
    for (const char* bad : {"http://h:1", "h:6379", "redis://", "redis://:6379", "redis://h:0", "redis://h:65536",
                            "redis://h:x", "redis://h:", "redis://h:1/x", "redis://h:1/-1", "redis://user:pw@h:1",
                            "redis://[::1", "redis://[::1]x", "unix://relative.sock", "unix:///s?x=1", "unix:///s?db=a"}) {
        CAPTURE(bad);
        try {
            parse_redis_url(bad);
            FAIL("accepted");
        } catch (const shared_limit_error& e) {
            CHECK(std::string(e.what()).find("--shared-limit") != std::string::npos);
            CHECK(std::string(e.what()).find(bad) != std::string::npos);
        }
    }
}
