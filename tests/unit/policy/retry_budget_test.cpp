#include "prospect/policy/retry_budget.hpp"

#include <doctest/doctest.h>

using namespace prospect::policy;

TEST_CASE("a full budget pays for 100 retries and then refuses") {
    retry_budget b;
    CHECK(b.available() == 500);
    int paid = 0;
    while (b.try_spend(b.params().retry_cost)) ++paid;
    CHECK(paid == 100);
    CHECK(b.available() == 0);
    CHECK_FALSE(b.try_spend(5));
    CHECK(b.available() == 0);
}

TEST_CASE("a refused spend takes nothing") {
    retry_budget b({.capacity = 12});
    CHECK(b.try_spend(10));
    CHECK_FALSE(b.try_spend(5));
    CHECK(b.available() == 2);
}

TEST_CASE("successes earn tokens back, never past capacity") {
    retry_budget b;
    CHECK(b.try_spend(10));
    CHECK(b.try_spend(5));
    CHECK(b.available() == 485);
    b.on_success(5);  // the retry that cost 5 succeeded
    CHECK(b.available() == 490);
    b.on_success(0);  // a first-try success
    CHECK(b.available() == 491);
    for (int i = 0; i < 100; ++i) b.on_success(0);
    CHECK(b.available() == 500);
    b.on_success(10);
    CHECK(b.available() == 500);
}

TEST_CASE("after an outage the budget comes back with the successes") {
    retry_budget b;
    while (b.try_spend(5)) {
    }
    for (int i = 0; i < 4; ++i) b.on_success(0);
    CHECK_FALSE(b.try_spend(5));
    b.on_success(0);
    CHECK(b.try_spend(5));
}
