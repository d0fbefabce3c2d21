// The dry run vouches for the cells the lead layer makes
// (row_result::derived_cells_plain): a normalized URL and the UUIDs of a
// valid row must be plain CSV cells, and JSON strings that need no escaping,
// whatever the input held.
#include "prospect/lead/profile_url.hpp"
#include "prospect/lead/uuid.hpp"
#include "prospect/report/csv_cell.hpp"
#include "prospect/text/json_escape.hpp"

#include "csv_reference.hpp"

#include <doctest/doctest.h>

using namespace prospect;
using report::test::random_cells;

namespace {

// What the JSONL report copies between quotes must be what the escaper writes.
bool json_plain(std::string_view s) {
    std::string escaped;
    text::append_json_string(escaped, s);
    return escaped.size() == s.size() + 2 && escaped.compare(1, s.size(), s) == 0;
}

}  // namespace

TEST_CASE("every normalized profile URL is a plain CSV cell") {
    random_cells cells(3);
    static constexpr std::string_view prefixes[] = {"https://www.linkedin.com/in/", "linkedin.com/in/",
                                                    "http://uk.linkedin.com/in/", "//www.linkedin.com/mwlite/in/",
                                                    "https://LinkedIn.com:443/in/"};
    static constexpr std::string_view escapes[] = {"%2C", "%22", "%0D", "%0A", "%3D", "%C3%A9", "%E2%82%AC",
                                                   "%FF", "%25", "%2B", "%40", "%20"};
    std::size_t accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string url(prefixes[cells.next(std::size(prefixes))]);
        // slugs of every kind of byte, raw or escaped, and a query after them
        for (std::size_t k = 0, n = cells.next(6); k < n; ++k)
            url += cells.next(3) ? cells.cell(12) : std::string(escapes[cells.next(std::size(escapes))]);
        if (cells.next(2)) url += "?trk=" + cells.cell(20);
        std::string normalized;
        const bool ok = !lead::normalize_profile_url(url, normalized);
        CAPTURE(url);
        CAPTURE(normalized);
        CHECK(report::cell_is_plain(normalized));
        CHECK(json_plain(normalized));
        if (ok) {
            ++accepted;
            CHECK(normalized.starts_with("https://www.linkedin.com/in/"));
        }
    }
    CHECK(accepted > 5000);  // the test reaches the canonical form, not only refusals
}

TEST_CASE("every parsed UUID is a plain CSV cell") {
    random_cells cells(5);
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        for (std::size_t i = 0; i < 36; ++i)
            text += i == 8 || i == 13 || i == 18 || i == 23 ? '-' : "0123456789abcdefABCDEF"[cells.next(22)];
        const auto id = lead::parse_uuid(text);
        REQUIRE(id);
        CHECK(report::cell_is_plain(id->view()));
        CHECK(json_plain(id->view()));
    }
}

TEST_CASE("the dry run's own messages are plain CSV cells and JSON strings") {
    for (std::string_view message : {"dry run", "duplicate of row 18446744073709551615"}) {
        CHECK(report::cell_is_plain(message));
        CHECK(json_plain(message));
    }
}
