#include "prospect/lead/deduper.hpp"

#include <doctest/doctest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>

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

TEST_CASE("ids are compared whole when they change from row to row, whatever byte differs") {
    // The ids' hash is kept while they repeat: every byte of a 36-byte id,
    // the last ones in the overlapping step included, must end the reuse.
    deduper d;
    const std::string url = "https://www.linkedin.com/in/jane";
    const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60", list = "cf33282b-b171-4d23-ae02-848499d793e4";
    CHECK_FALSE(d.check(lead(url, campaign, list), 2));
    std::size_t row = 3;
    for (std::size_t at = 0; at < campaign.size(); ++at) {
        CAPTURE(at);
        std::string other = campaign;
        other[at] = other[at] == 'f' ? 'e' : 'f';
        CHECK_FALSE(d.check(lead(url, other, list), row++));
        CHECK(d.check(lead(url, campaign, list), row++) == 2u);
        CHECK_FALSE(d.check(lead(url, campaign, other), row++));
        CHECK(d.check(lead(url, other, list), row) == row - 3);
        ++row;
    }
    CHECK(d.size() == 1 + 2 * campaign.size());
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
    CHECK_FALSE(d.check(lead("x"), 4294967295u));
    CHECK(d.check(lead("x"), 5) == 4294967295u);
    CHECK_THROWS_AS(d.check(lead("y"), 4294967296u), std::length_error);
}

TEST_CASE("200,000 keys with repeats: every duplicate found, with its first row, and none invented") {
    deduper d;
    std::unordered_map<std::string, std::size_t> first_row;  // the reference
    std::mt19937_64 random(16);
    validated_row r = lead("");
    const std::string other_list = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    std::size_t missed = 0, invented = 0, wrong_row = 0, duplicates = 0;
    for (std::size_t row = 2; first_row.size() < 200'000; ++row) {
        // About one row in ten repeats an earlier key; the list varies too.
        const std::uint64_t pick = random() % 10 == 0 ? random() % (first_row.size() + 1) : first_row.size();
        r.normalized_url = "https://www.linkedin.com/in/person-" + std::to_string(pick / 2);
        r.list_id = pick % 2 ? other_list : "cf33282b-b171-4d23-ae02-848499d793e4";
        const auto [it, added] = first_row.try_emplace(r.normalized_url + ' ' + r.list_id, row);
        const auto found = d.check(r, row);
        if (added && found) ++invented;
        if (!added && !found) ++missed;
        if (!added && found && *found != it->second) ++wrong_row;
        if (!added) ++duplicates;
    }
    CHECK(invented == 0);
    CHECK(missed == 0);
    CHECK(wrong_row == 0);
    CHECK(duplicates > 15'000);
    CHECK(d.size() == first_row.size());
    // The table's own accounting: slots x 12 bytes over distinct keys.
    CHECK(static_cast<double>(d.table_bytes()) / static_cast<double>(d.size()) <= 16.0);
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
