#include "prospect/report/early_writeback.hpp"

#include <doctest/doctest.h>

using prospect::report::byte_range;
using prospect::report::early_writeback;

TEST_CASE("a report's writeback starts once a step waits, for what was appended since the last start") {
    early_writeback w(100);
    CHECK_FALSE(w.appended(60).has_value());
    CHECK(w.appended(60) == byte_range{0, 120});  // the whole of it, not just one step
    CHECK_FALSE(w.appended(99).has_value());
    CHECK(w.appended(1) == byte_range{120, 100});
    CHECK(w.appended(250) == byte_range{220, 250});
    CHECK_FALSE(w.appended(0).has_value());
}

TEST_CASE("standard output's writeback is never started (step 0)") {
    early_writeback w(0);
    for (int i = 0; i < 10; ++i) CHECK_FALSE(w.appended(1 << 20).has_value());
}
