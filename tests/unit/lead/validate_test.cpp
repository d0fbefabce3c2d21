#include "prospect/lead/validate.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace prospect::lead;

namespace {

constexpr std::string_view campaign_a = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
constexpr std::string_view list_a = "cf33282b-b171-4d23-ae02-848499d793e4";
constexpr std::string_view campaign_b = "11111111-2222-4333-8444-555555555555";
constexpr std::string_view list_b = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

defaults with_defaults(bool move = false) { return {parse_uuid(campaign_a), parse_uuid(list_a), move}; }

validated_row run(const row_cells& cells, const defaults& defs) {
    validated_row out;
    validate(cells, defs, out);
    return out;
}

}  // namespace

TEST_CASE("a row with only a URL takes every default") {
    auto r = run({"linkedin.com/in/Jane-Doe/", "", "", ""}, with_defaults(true));
    CHECK(r.valid());
    CHECK(r.normalized_url == "https://www.linkedin.com/in/jane-doe");
    CHECK(r.campaign_id == campaign_a);
    CHECK(r.list_id == list_a);
    CHECK(r.move);
}

TEST_CASE("a row's own cells win over the defaults and are lower-cased") {
    auto r = run({"linkedin.com/in/jane", " 11111111-2222-4333-8444-555555555555 ", "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE",
                  "no"},
                 with_defaults(true));
    CHECK(r.valid());
    CHECK(r.campaign_id == campaign_b);
    CHECK(r.list_id == list_b);
    CHECK_FALSE(r.move);

    r = run({"linkedin.com/in/jane", "", "", "TRUE"}, with_defaults(false));
    CHECK(r.valid());
    CHECK(r.move);
}

TEST_CASE("empty id cells without a default are invalid and say which option is missing") {
    auto r = run({"linkedin.com/in/jane", "", "", ""}, defaults{});
    CHECK_FALSE(r.valid());
    CHECK(r.message ==
          "no campaign id: the cell is empty and no --campaign was given; "
          "no prospect list id: the cell is empty and no --list was given");
    CHECK(r.campaign_id.empty());
    CHECK(r.list_id.empty());
    CHECK(r.normalized_url == "https://www.linkedin.com/in/jane");

    r = run({"linkedin.com/in/jane", std::string(campaign_b), "", ""}, defaults{parse_uuid(campaign_a), {}, false});
    CHECK(r.message == "no prospect list id: the cell is empty and no --list was given");
    CHECK(r.campaign_id == campaign_b);
}

TEST_CASE("invalid cells are named, quoted, and the report keeps the raw id") {
    auto r = run({"linkedin.com/in/jane", "x", " {cf33282b-b171-4d23-ae02-848499d793e4} ", ""}, with_defaults());
    CHECK(r.message ==
          "campaign id 'x' is not a UUID (8-4-4-4-12 hex digits); "
          "prospect list id '{cf33282b-b171-4d23-ae02-848499d793e4}' is not a UUID (8-4-4-4-12 hex digits)");
    CHECK(r.campaign_id == "x");
    CHECK(r.list_id == "{cf33282b-b171-4d23-ae02-848499d793e4}");

    r = run({"linkedin.com/in/jane", "", "", "maybe"}, with_defaults(true));
    CHECK(r.message == "move duplicates cell 'maybe' is not true/false, yes/no or 1/0");
    CHECK(r.move);
}

TEST_CASE("every reason of a row is reported, URL first") {
    auto r = run({"https://www.linkedin.com/sales/lead/ACwAA", "nope", "", "2"}, defaults{});
    CHECK(r.message ==
          "Sales Navigator link: cannot be turned into a public profile URL offline; "
          "campaign id 'nope' is not a UUID (8-4-4-4-12 hex digits); "
          "no prospect list id: the cell is empty and no --list was given; "
          "move duplicates cell '2' is not true/false, yes/no or 1/0");
    CHECK(r.normalized_url.empty());

    r = run({"   ", "", "", ""}, with_defaults());
    CHECK(r.message == "empty profile URL");
}

TEST_CASE("quoted cells are cut short and kept valid UTF-8") {
    std::string long_cell(200, 'z');
    auto r = run({"linkedin.com/in/jane", long_cell, "", ""}, with_defaults());
    CHECK(r.message == "campaign id '" + std::string(64, 'z') + "...' is not a UUID (8-4-4-4-12 hex digits)");
    CHECK(r.campaign_id == long_cell);

    r = run({"linkedin.com/in/jane", "\xE9t\xE9", "", ""}, with_defaults());
    CHECK(r.message == "campaign id '\xEF\xBF\xBDt\xEF\xBF\xBD' is not a UUID (8-4-4-4-12 hex digits)");

    // A multi-byte character straddling the limit is kept whole.
    std::string straddle = std::string(63, 'a') + "\xC3\xB6" + "bbb";
    r = run({"linkedin.com/in/jane", straddle, "", ""}, with_defaults());
    CHECK(r.message == "campaign id '" + std::string(63, 'a') + "\xC3\xB6...' is not a UUID (8-4-4-4-12 hex digits)");
}

TEST_CASE("one validated_row is reused: a valid row after an invalid one is clean") {
    validated_row out;
    validate({"linkedin.com/company/acme", "bad", "bad", "bad"}, defaults{}, out);
    REQUIRE_FALSE(out.valid());
    validate({"linkedin.com/in/jane", "", "", ""}, with_defaults(true), out);
    CHECK(out.valid());
    CHECK(out.normalized_url == "https://www.linkedin.com/in/jane");
    CHECK(out.campaign_id == campaign_a);
    CHECK(out.list_id == list_a);
    CHECK(out.move);
}

TEST_CASE("a reused row takes the default again after an id of the same length, its own or a cell's") {
    // The default is copied only when the id there differs: every byte of a
    // 36-byte id left by the last row must count.
    validated_row out;
    const defaults defs = with_defaults();
    validate({"linkedin.com/in/jane", "", "", ""}, defs, out);
    REQUIRE(out.campaign_id == campaign_a);
    for (std::size_t at = 0; at < campaign_b.size(); ++at) {
        CAPTURE(at);
        std::string other(campaign_a);
        other[at] = other[at] == '1' ? '2' : '1';
        validate({"linkedin.com/in/jane", other, std::string(campaign_b), ""}, defs, out);
        CHECK(out.campaign_id == other);
        CHECK(out.list_id == campaign_b);
        validate({"linkedin.com/in/jane", "", "", ""}, defs, out);
        CHECK(out.valid());
        CHECK(out.campaign_id == campaign_a);
        CHECK(out.list_id == list_a);
    }
    validate({"linkedin.com/in/jane", " \t", "\xC2\xA0", ""}, defs, out);  // blank but not empty: trimmed, then the default
    CHECK(out.valid());
    CHECK(out.campaign_id == campaign_a);
    CHECK(out.list_id == list_a);
}
