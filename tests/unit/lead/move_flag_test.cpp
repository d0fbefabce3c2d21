#include "prospect/lead/move_flag.hpp"

#include <doctest/doctest.h>

using prospect::lead::flag_parse;
using prospect::lead::parse_move_flag;

TEST_CASE("the accepted spellings, any case, white space ignored") {
    for (const char* s : {"true", "TRUE", "True", "yes", "YES", "Yes", "1", " true ", "\tYES\r\n"}) {
        CAPTURE(s);
        CHECK(parse_move_flag(s) == flag_parse::yes);
    }
    for (const char* s : {"false", "FALSE", "False", "no", "NO", "No", "0", " 0 "}) {
        CAPTURE(s);
        CHECK(parse_move_flag(s) == flag_parse::no);
    }
}

TEST_CASE("an empty cell takes the default") {
    CHECK(parse_move_flag("") == flag_parse::empty);
    CHECK(parse_move_flag("   ") == flag_parse::empty);
}

TEST_CASE("anything else is invalid") {
    for (const char* s : {"y", "n", "t", "f", "2", "01", "true1", "yes please", "on", "off", "TRUE.", "-1", "1.0"}) {
        CAPTURE(s);
        CHECK(parse_move_flag(s) == flag_parse::invalid);
    }
}
