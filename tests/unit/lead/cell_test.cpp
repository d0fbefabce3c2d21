#include "prospect/lead/cell.hpp"

#include <doctest/doctest.h>

using prospect::lead::trim_cell;

TEST_CASE("trim_cell strips ASCII white space and no-break spaces at both ends only") {
    CHECK(trim_cell("") == "");
    CHECK(trim_cell(" \t\r\n\v\f") == "");
    CHECK(trim_cell("  a b  ") == "a b");
    CHECK(trim_cell("\xC2\xA0 x \xC2\xA0\xC2\xA0") == "x");
    CHECK(trim_cell("x\xC2\xA0y") == "x\xC2\xA0y");
    CHECK(trim_cell("\xC2") == "\xC2");  // half a no-break space is not one
}
