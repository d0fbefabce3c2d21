#include "prospect/shared_limit/fallback_share.hpp"

#include <doctest/doctest.h>

#include <chrono>

#include "prospect/shared_limit/limit_script.hpp"

using namespace prospect::shared_limit;
using std::chrono::microseconds;

TEST_CASE("alone, an importer keeps the whole limit") {
    auto s = fallback_share(100, 8, 1);
    CHECK(s.rate == 100);
    CHECK(s.burst == 8);
}

TEST_CASE("the rate and burst are split equally among the importers last seen") {
    auto s = fallback_share(90, 9, 3);
    CHECK(s.rate == doctest::Approx(30));
    CHECK(s.burst == doctest::Approx(3));
}

TEST_CASE("however many lose Redis together, their shares sum to the limit") {
    for (std::size_t n = 1; n <= 16; ++n) {
        auto s = fallback_share(50, 4, n);
        CHECK(s.rate * static_cast<double>(n) == doctest::Approx(50));
    }
}

TEST_CASE("the burst never drops below one token, and no importers seen counts as one") {
    CHECK(fallback_share(10, 2, 16).burst == 1);
    CHECK(fallback_share(10, 2, 0).rate == 10);
}

TEST_CASE("a grant's tokens within the balance are due now, the rest one interval apart") {
    auto due = grant_schedule(5, 2.0, 10);
    REQUIRE(due.size() == 5);
    CHECK(due[0] == microseconds(0));
    CHECK(due[1] == microseconds(0));
    CHECK(due[2] == microseconds(100000));
    CHECK(due[3] == microseconds(200000));
    CHECK(due[4] == microseconds(300000));
}

TEST_CASE("with reservations outstanding (a negative balance) the first token waits for them") {
    auto due = grant_schedule(2, -3.0, 100);
    REQUIRE(due.size() == 2);
    CHECK(due[0] == microseconds(40000));
    CHECK(due[1] == microseconds(50000));
    CHECK(grant_schedule(0, 5, 10).empty());
}
