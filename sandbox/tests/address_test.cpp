#include "prospect/sandbox/address.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;

TEST_CASE("HOST:PORT forms, IPv6 in brackets") {
    auto a = parse_host_port("127.0.0.1:0");
    REQUIRE(a);
    CHECK(a->host == "127.0.0.1");
    CHECK(a->port == 0);
    auto b = parse_host_port("[::1]:8443");
    REQUIRE(b);
    CHECK(b->host == "::1");
    CHECK(b->port == 8443);
    CHECK(parse_host_port("localhost:443")->host == "localhost");
}

TEST_CASE("malformed addresses are refused") {
    for (auto s : {"", "127.0.0.1", "127.0.0.1:", ":80", "::1:80", "[::1]80", "host:65536", "host:8x", "host:-1"})
        CHECK_MESSAGE(!parse_host_port(s), s);
}

TEST_CASE("the origin brackets an IPv6 host") {
    CHECK(https_origin("127.0.0.1", 8443) == "https://127.0.0.1:8443");
    CHECK(https_origin("::1", 1) == "https://[::1]:1");
}
