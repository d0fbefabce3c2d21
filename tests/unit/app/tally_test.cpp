#include "prospect/app/tally.hpp"

#include <doctest/doctest.h>

using namespace prospect::app;
using prospect::policy::outcome;

TEST_CASE("a dry run exits 0 only when every row is valid and none a duplicate") {
    tally t;
    CHECK(finished_exit_status(t, true) == 0);  // header with no rows
    t.add(outcome::not_sent);
    CHECK(finished_exit_status(t, true) == 0);
    t.add(outcome::duplicate);
    CHECK(finished_exit_status(t, true) == 1);
}

TEST_CASE("an import exits 0 only when every row was added") {
    tally t;
    CHECK(finished_exit_status(t, false) == 0);
    t.add(outcome::added);
    CHECK(finished_exit_status(t, false) == 0);
    for (auto o : {outcome::rejected, outcome::invalid, outcome::duplicate}) {
        tally u = t;
        u.add(o);
        CHECK(finished_exit_status(u, false) == 1);
    }
}

TEST_CASE("issue 11: rows failed or not sent for transient reasons exit 75, over rows a person must read") {
    for (auto o : {outcome::failed, outcome::not_sent}) {
        tally t;
        t.add(outcome::rejected);
        t.add(o);
        CAPTURE(prospect::policy::to_string(o));
        CHECK(finished_exit_status(t, false) == 75);
    }
}

TEST_CASE("the summary names only the outcomes that occurred") {
    tally t;
    CHECK(describe(t, false) == "0 rows");
    t.add(outcome::added);
    t.add(outcome::added);
    t.add(outcome::failed);
    CHECK(describe(t, false) == "3 rows: 2 added, 1 failed");
    tally d;
    d.add(outcome::not_sent);
    d.add(outcome::invalid);
    CHECK(describe(d, true) == "2 rows: 1 valid, 1 invalid");
}

TEST_CASE("issue 14: the summary groups digits as the progress line does") {
    tally t;
    for (int i = 0; i < 12345; ++i) t.add(outcome::added);
    CHECK(describe(t, false) == "12,345 rows: 12,345 added");
    CHECK(grouped(0) == "0");
    CHECK(grouped(999) == "999");
    CHECK(grouped(1000) == "1,000");
    CHECK(grouped(1234567) == "1,234,567");
}
