#include "prospect/report/sync_schedule.hpp"

#include <doctest/doctest.h>

using prospect::report::sync_schedule;

TEST_CASE("a report is synced once a step was written since the last sync, not before") {
    sync_schedule s(100);
    CHECK_FALSE(s.written(60));
    CHECK(s.written(60));  // 120: due, and counting starts again
    CHECK_FALSE(s.written(99));
    CHECK(s.written(1));
    CHECK(s.written(250));  // one sync for a long write, however many steps it spans
    CHECK_FALSE(s.written(0));
}

TEST_CASE("with step 0 (standard output) a report is never synced along the way") {
    sync_schedule s(0);
    for (int i = 0; i < 10; ++i) CHECK_FALSE(s.written(1 << 20));
}
