#include "prospect/report/format.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

using namespace prospect::report;
using prospect::policy::outcome;

namespace {
row_result sample() {
    row_result r;
    r.row = 7;
    r.profile_url = "linkedin.com/in/Jane";
    r.normalized_url = "https://www.linkedin.com/in/jane";
    r.campaign_id = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
    r.prospect_list_id = "cf33282b-b171-4d23-ae02-848499d793e4";
    r.outcome = outcome::added;
    r.http_status = 201;
    r.attempts = 1;
    return r;
}
std::string csv(const row_result& r) {
    std::string out;
    append_csv(out, r);
    return out;
}
std::string cell(std::string_view s) {
    std::string out;
    append_csv_cell(out, s);
    return out;
}
}  // namespace

TEST_CASE("the CSV header has the contract's columns in order, then move_duplicates") {
    CHECK(csv_header() ==
          "row,profile_url,normalized_url,campaign_id,prospect_list_id,outcome,http_status,attempts,message,"
          "move_duplicates\n");
}

TEST_CASE("a CSV record has every field, empty status when there is none") {
    auto r = sample();
    CHECK(csv(r) ==
          "7,linkedin.com/in/Jane,https://www.linkedin.com/in/jane,8d256aa6-9b12-49a7-93ee-bf41634b5b60,"
          "cf33282b-b171-4d23-ae02-848499d793e4,added,201,1,,\n");
    r.move_duplicates = true;
    CHECK(csv(r).ends_with(",added,201,1,,true\n"));
    r.move_duplicates = false;
    CHECK(csv(r).ends_with(",added,201,1,,false\n"));
    r.move_duplicates.reset();
    r.outcome = outcome::invalid;
    r.http_status = 0;
    r.attempts = 0;
    r.normalized_url = "";
    r.message = "company page, not a member profile";
    CHECK(csv(r) ==
          "7,linkedin.com/in/Jane,,8d256aa6-9b12-49a7-93ee-bf41634b5b60,"
          "cf33282b-b171-4d23-ae02-848499d793e4,invalid,,0,\"company page, not a member profile\",\n");
}

TEST_CASE("CSV cells with delimiters, quotes and line breaks are quoted") {
    CHECK(cell("plain") == "plain");
    CHECK(cell("a,b") == "\"a,b\"");
    CHECK(cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(cell("l1\nl2") == "\"l1\nl2\"");
    CHECK(cell("l1\r\nl2") == "\"l1\r\nl2\"");
}

TEST_CASE("each of comma, quote, CR and LF alone makes a cell quoted, wherever it is") {
    for (char special : {',', '"', '\r', '\n'}) {
        const std::string s(1, special);
        const std::string inner = special == '"' ? "\"\"" : s;
        CAPTURE(static_cast<int>(special));
        // A leading CR is also a formula prefix.
        CHECK(cell(s) == std::string(special == '\r' ? "\"'" : "\"") + inner + "\"");
        CHECK(cell("ab" + s) == "\"ab" + inner + "\"");
        CHECK(cell("a" + s + "b") == "\"a" + inner + "b\"");
    }
}

TEST_CASE("cells without a comma, quote or line break are copied as they are") {
    CHECK(cell("") == "");
    const std::string url = "https://www.linkedin.com/in/j%C3%B6rg?trk=a;b|c'd";
    CHECK(cell(url) == url);
    CHECK(cell("J\xC3\xB6rg \x01\x7F\tend") == "J\xC3\xB6rg \x01\x7F\tend");
    // The report is always UTF-8: a byte that is not is written as U+FFFD.
    CHECK(cell("J\xF6rg \xFF\x80,") == "\"J\xEF\xBF\xBDrg \xEF\xBF\xBD\xEF\xBF\xBD,\"");
    CHECK(cell("=\xC3") == "\"'=\xEF\xBF\xBD\"");
    CHECK(cell(std::string_view("a\0b", 3)) == std::string("a\0b", 3));
}

TEST_CASE("long cells are scanned to their last byte") {
    const std::string plain(5000, 'x');
    CHECK(cell(plain) == plain);
    CHECK(cell(plain + ",") == "\"" + plain + ",\"");
    CHECK(cell(plain + "\n" + plain) == "\"" + plain + "\n" + plain + "\"");
    std::string quotes, doubled;
    for (int i = 0; i < 300; ++i) {
        quotes += "ab\"";
        doubled += "ab\"\"";
    }
    CHECK(cell(quotes) == "\"" + doubled + "\"");
    CHECK(cell(std::string(50, '"')) == "\"" + std::string(100, '"') + "\"");
}

TEST_CASE("cells a spreadsheet would execute are neutralized") {
    CHECK(cell("=HYPERLINK(\"http://evil\")") == "\"'=HYPERLINK(\"\"http://evil\"\")\"");
    CHECK(cell("+1") == "\"'+1\"");
    CHECK(cell("-2") == "\"'-2\"");
    CHECK(cell("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(cell("\tx") == "\"'\tx\"");
    CHECK(cell("\rx") == "\"'\rx\"");
    CHECK(cell("a=b") == "a=b");
    CHECK(cell("=") == "\"'=\"");
    CHECK(cell("-a,\"b\"") == "\"'-a,\"\"b\"\"\"");
    CHECK(cell("@" + std::string(3000, 'y')) == "\"'@" + std::string(3000, 'y') + "\"");
}

TEST_CASE("a JSONL record is one JSON object with the same fields") {
    auto r = sample();
    r.message = "line\nbreak \"quoted\"";
    std::string out;
    append_jsonl(out, r);
    REQUIRE(out.back() == '\n');
    CHECK(out.find('\n') == out.size() - 1);
    auto v = boost::json::parse(out).as_object();
    CHECK(v.at("row").as_int64() == 7);
    CHECK(v.at("profile_url").as_string() == "linkedin.com/in/Jane");
    CHECK(v.at("normalized_url").as_string() == "https://www.linkedin.com/in/jane");
    CHECK(v.at("campaign_id").as_string() == "8d256aa6-9b12-49a7-93ee-bf41634b5b60");
    CHECK(v.at("prospect_list_id").as_string() == "cf33282b-b171-4d23-ae02-848499d793e4");
    CHECK(v.at("outcome").as_string() == "added");
    CHECK(v.at("http_status").as_int64() == 201);
    CHECK(v.at("attempts").as_int64() == 1);
    CHECK(v.at("message").as_string() == "line\nbreak \"quoted\"");
    CHECK(v.at("move_duplicates").is_null());
    r.move_duplicates = true;
    out.clear();
    append_jsonl(out, r);
    CHECK(boost::json::parse(out).as_object().at("move_duplicates").as_bool());
}

TEST_CASE("JSONL writes null for a missing status and stays valid on invalid UTF-8") {
    auto r = sample();
    r.http_status = 0;
    r.profile_url = "\xFF\xFE";
    std::string out;
    append_jsonl(out, r);
    auto v = boost::json::parse(out).as_object();
    CHECK(v.at("http_status").is_null());
    CHECK(v.at("profile_url").as_string() == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("report formats are named csv and jsonl") {
    CHECK(format_from_string("csv") == format::csv);
    CHECK(format_from_string("jsonl") == format::jsonl);
    CHECK_FALSE(format_from_string("xml"));
}

// append_csv writes a record of plain cells in one piece and any other cell
// by cell: both must give what the cells give one by one.
TEST_CASE("a CSV record equals its cells joined, whichever way it is written") {
    const std::string specials[] = {"", "x", ",", "\"", "\r", "\n", "=", "\xC3\xA9", "\xFF", "\x01"};
    const std::string padding(20, 'p');
    std::uint32_t state = 5;
    auto pick = [&] {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % 10;
    };
    for (int round = 0; round < 2000; ++round) {
        std::string cells[5];
        for (auto& c : cells) {
            // mostly plain, sometimes a special byte before, inside or after a run of 20
            const auto where = pick();
            const auto& s = specials[pick() < 6 ? 1 : pick()];
            c = where < 3 ? s + padding : where < 6 ? padding.substr(0, where * 3) + s + padding : padding + s;
        }
        row_result r = sample();
        r.row = static_cast<std::size_t>(round) * 977;
        r.profile_url = cells[0];
        r.normalized_url = cells[1];
        r.campaign_id = cells[2];
        r.prospect_list_id = cells[3];
        r.message = cells[4];
        r.http_status = round % 3 ? 201 : 0;
        r.move_duplicates = round % 4 ? std::optional<bool>(round % 2) : std::nullopt;
        std::string expected = std::to_string(r.row);
        for (int k = 0; k < 4; ++k) expected += "," + cell(cells[k]);
        expected += std::string(",added,") + (r.http_status ? "201" : "") + ",1," + cell(cells[4]) + "," +
                    (r.move_duplicates ? (*r.move_duplicates ? "true" : "false") : "") + "\n";
        std::string out = "before\n";
        append_csv(out, r);
        CAPTURE(round);
        CHECK(out == "before\n" + expected);
    }
}
