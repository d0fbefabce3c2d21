#include "prospect/policy/retry_after.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace prospect::policy;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

// 1994-11-06 08:49:37 UTC, the RFC's example instant.
const sys_seconds example = sys_days{1994y / November / 6} + 8h + 49min + 37s;

}  // namespace

TEST_CASE("delay-seconds") {
    const auto now = system_clock::now();
    CHECK(parse_retry_after("0", now) == 0s);
    CHECK(parse_retry_after("120", now) == 120s);
    CHECK(parse_retry_after("  7\t", now) == 7s);
    CHECK(parse_retry_after("007", now) == 7s);
    CHECK(parse_retry_after("99999999999999999999999999", now) == retry_after_saturation);
}

TEST_CASE("the three HTTP-date forms name the same instant") {
    const auto now = example - 90s;
    for (const char* v : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                          "sun, 06 nov 1994 08:49:37 gmt"}) {
        INFO(v);
        CHECK(parse_http_date(v, now) == example);
        CHECK(parse_retry_after(v, now) == 90s);
    }
    CHECK(parse_http_date("Thu Nov 10 08:49:37 1994", now) == example + days{4});
}

TEST_CASE("a date partway through a second rounds the wait up") {
    const system_clock::time_point now = example - 1500ms;
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 2s);
}

TEST_CASE("a date in the past means no wait") {
    const auto now = example + 1h;
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 0s);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 09:49:37 GMT", now) == 0s);
}

TEST_CASE("a two-digit year more than 50 years ahead is in the past century") {
    const auto now = sys_days{2025y / June / 1};
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now) == example);
    const auto soon = parse_http_date("Monday, 01-Jan-30 00:00:00 GMT", now);
    REQUIRE(soon);
    CHECK(*soon == sys_days{2030y / January / 1});
    CHECK(parse_http_date("Monday, 01-Jan-75 00:00:00 GMT", now) == sys_days{2075y / January / 1});
    CHECK(parse_http_date("Monday, 01-Jan-76 00:00:00 GMT", now) == sys_days{1976y / January / 1});
}

TEST_CASE("garbage is refused") {
    const auto now = example;
    for (const char* v : {"", "   ", "-5", "1.5", "5s", "soon", "12 34", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:61:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT trailing",
                          "Sunday, 06-Nov-1994 08:49:37 GMT", "Funday, 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
                          "Sun Nov  6 08:49:37 94"}) {
        INFO('"' << v << '"');
        CHECK_FALSE(parse_retry_after(v, now).has_value());
    }
}
