#include "prospect/lead/deduper.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace prospect::lead;

namespace {

validated_row lead(std::string url, std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60",
                   std::string list = "cf33282b-b171-4d23-ae02-848499d793e4") {
    validated_row r;
    r.normalized_url = std::move(url);
    r.campaign_id = std::move(campaign);
    r.list_id = std::move(list);
    return r;
}

}  // namespace

TEST_CASE("a repeated key names the first row, every time") {
    deduper d;
    CHECK_FALSE(d.check(lead("https://www.linkedin.com/in/jane"), 2));
    CHECK_FALSE(d.check(lead("https://www.linkedin.com/in/john"), 3));
    CHECK(d.check(lead("https://www.linkedin.com/in/jane"), 4) == 2u);
    CHECK(d.check(lead("https://www.linkedin.com/in/jane"), 7) == 2u);
    CHECK(d.check(lead("https://www.linkedin.com/in/john"), 9) == 3u);
    CHECK(d.size() == 2);
}

TEST_CASE("a different list or campaign is not a duplicate") {
    deduper d;
    const std::string url = "https://www.linkedin.com/in/jane";
    CHECK_FALSE(d.check(lead(url), 2));
    CHECK_FALSE(d.check(lead(url, "8d256aa6-9b12-49a7-93ee-bf41634b5b60", "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"), 3));
    CHECK_FALSE(d.check(lead(url, "11111111-2222-4333-8444-555555555555"), 4));
    CHECK(d.check(lead(url, "11111111-2222-4333-8444-555555555555"), 5) == 4u);
    CHECK(d.size() == 3);
}

TEST_CASE("field boundaries are part of the key") {
    deduper d;
    CHECK_FALSE(d.check(lead("ab", "c", "d"), 2));
    CHECK_FALSE(d.check(lead("a", "bc", "d"), 3));
    CHECK_FALSE(d.check(lead("a", "b", "cd"), 4));
}

TEST_CASE("row 0 is a row like any other") {
    deduper d;
    CHECK_FALSE(d.check(lead("x"), 0));
    CHECK(d.check(lead("x"), 1) == 0u);
}

TEST_CASE("row numbers beyond 32 bits are refused, not truncated") {
    deduper d;
    CHECK_FALSE(d.check(lead("x"), 4294967294u));
    CHECK(d.check(lead("x"), 5) == 4294967294u);
    CHECK_THROWS_AS(d.check(lead("y"), 4294967295u), std::length_error);
}

TEST_CASE("a million distinct keys, then each of them again") {
    deduper d;
    validated_row r = lead("");
    constexpr std::size_t n = 1'000'000;
    for (std::size_t i = 0; i < n; ++i) {
        r.normalized_url = "https://www.linkedin.com/in/person-" + std::to_string(i);
        if (d.check(r, i + 2)) FAIL("row " << i + 2 << " wrongly marked duplicate");
    }
    CHECK(d.size() == n);
    for (std::size_t i = 0; i < n; i += 997) {
        r.normalized_url = "https://www.linkedin.com/in/person-" + std::to_string(i);
        CHECK(d.check(r, n + 2 + i) == i + 2);
    }
    CHECK(d.size() == n);
    static_assert(deduper::bytes_per_entry_estimate() >= 20 && deduper::bytes_per_entry_estimate() <= 64);
}

TEST_CASE("rows written differently but meaning the same lead are duplicates") {
    const defaults defs{parse_uuid("8d256aa6-9b12-49a7-93ee-bf41634b5b60"), parse_uuid("cf33282b-b171-4d23-ae02-848499d793e4"),
                        false};
    deduper d;
    validated_row r;
    validate({"https://www.linkedin.com/in/J%c3%b6rg/?trk=x", "", "", ""}, defs, r);
    REQUIRE(r.valid());
    CHECK_FALSE(d.check(r, 2));
    validate({" uk.linkedin.com/in/jörg ", "8D256AA6-9B12-49A7-93EE-BF41634B5B60", "", "true"}, defs, r);
    REQUIRE(r.valid());
    CHECK(d.check(r, 3) == 2u);  // the move flag is not part of the key
}
