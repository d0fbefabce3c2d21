#include "prospect/lead/uuid.hpp"

#include <doctest/doctest.h>

#include <string>

using prospect::lead::parse_uuid;

TEST_CASE("UUIDs in 8-4-4-4-12 form are accepted and lower-cased") {
    auto u = parse_uuid("cf33282b-b171-4d23-ae02-848499d793e4");
    REQUIRE(u);
    CHECK(u->view() == "cf33282b-b171-4d23-ae02-848499d793e4");
    auto upper = parse_uuid("CF33282B-B171-4D23-AE02-848499D793E4");
    REQUIRE(upper);
    CHECK(upper->view() == "cf33282b-b171-4d23-ae02-848499d793e4");
    CHECK(*upper == *u);
    auto mixed = parse_uuid("Cf33282b-B171-4d23-aE02-848499d793E4");
    REQUIRE(mixed);
    CHECK(*mixed == *u);
    CHECK(parse_uuid("00000000-0000-0000-0000-000000000000"));  // syntax only, no version check
    CHECK(parse_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff"));
}

TEST_CASE("anything else is refused") {
    const char* bad[] = {
        "",
        "cf33282bb1714d23ae02848499d793e4",         // 32-digit form
        "{cf33282b-b171-4d23-ae02-848499d793e4}",   // braces
        "urn:uuid:cf33282b-b171-4d23-ae02-848499d793e4",
        " cf33282b-b171-4d23-ae02-848499d793e4",    // callers trim first
        "cf33282b-b171-4d23-ae02-848499d793e4 ",
        "cf33282b-b171-4d23-ae02-848499d793e",      // one short
        "cf33282b-b171-4d23-ae02-848499d793e4a",    // one long
        "cf33282g-b171-4d23-ae02-848499d793e4",     // 'g'
        "cf33282b_b171-4d23-ae02-848499d793e4",     // wrong separator
        "cf33282-bb171-4d23-ae02-848499d793e4",     // hyphen moved
        "cf33282b-b171-4d23-ae02-848499d793-4",
        "------------------------------------",
    };
    for (const char* s : bad) {
        CAPTURE(s);
        CHECK_FALSE(parse_uuid(s));
    }
    CHECK_FALSE(parse_uuid(std::string_view("cf33282b-b171-4d23-ae02-848499d793e\0", 36)));
}
