#include "prospect/report/csv_record.hpp"

#include "csv_reference.hpp"
#include "prospect/report/csv_cell.hpp"

#include <doctest/doctest.h>
#include <limits>
#include <memory>
#include <vector>

using namespace prospect::report;
using prospect::policy::outcome;
using prospect::report::test::random_cells;
using prospect::report::test::reference_cell;
using prospect::report::test::reference_record;

namespace {

// The record written into exactly bound(r) bytes on the heap (a sanitized
// build catches a store past them).
std::string written(csv_record_writer& records, const row_result& r) {
    const std::size_t room = csv_record_writer::bound(r);
    auto out = std::make_unique<char[]>(room);
    char* end = records.write(out.get(), r);
    REQUIRE(static_cast<std::size_t>(end - out.get()) <= room);
    return {out.get(), end};
}

row_result usual_row() {
    row_result r;
    r.row = 2;
    r.profile_url = "http://www.linkedin.com/in/j\xC3\xB6rg-doe-0?trk=public_profile";
    r.normalized_url = "https://www.linkedin.com/in/j%C3%B6rg-doe-0";
    r.campaign_id = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
    r.prospect_list_id = "cf33282b-b171-4d23-ae02-848499d793e4";
    r.outcome = outcome::not_sent;
    r.message = "dry run";
    r.move_duplicates = false;
    r.derived_cells_plain = true;
    return r;
}

}  // namespace

TEST_CASE("records of random cells, vouched for or not, equal the byte-by-byte record") {
    random_cells cells(7);
    csv_record_writer records;
    std::string c[5];
    for (int round = 0; round < 20000; ++round) {
        for (auto& s : c) s = cells.cell();
        row_result r;
        r.row = static_cast<std::size_t>(round) + 2;
        r.profile_url = c[0];
        r.normalized_url = c[1];
        r.campaign_id = c[2];
        r.prospect_list_id = c[3];
        r.message = c[4];
        r.outcome = prospect::policy::all_outcomes[cells.next(6)];
        r.http_status = cells.next(3) ? 0 : static_cast<int>(200 + cells.next(400));
        r.attempts = static_cast<int>(cells.next(3) ? cells.next(4) : cells.next(100000));
        const auto move = cells.next(3);
        r.move_duplicates = move == 0 ? std::nullopt : std::optional<bool>(move == 2);
        // the caller may vouch only for cells that are plain
        r.derived_cells_plain = true;
        for (int k = 1; k < 5; ++k) r.derived_cells_plain &= reference_cell(c[k]) == c[k];
        CAPTURE(round);
        CHECK(written(records, r) == reference_record(r));
    }
}

TEST_CASE("a vouched-for row checks its profile_url cell") {
    csv_record_writer records;
    auto r = usual_row();
    CHECK(written(records, r) == reference_record(r));
    for (std::string_view url : {"a,b", "=1", "x\"y", "l1\nl2", "J\xF6rg"}) {
        r.row += 1;
        r.profile_url = url;
        CAPTURE(url);
        CHECK(written(records, r) == reference_record(r));
    }
}

TEST_CASE("row numbers counted up in place, across carries and jumps, read as the number") {
    csv_record_writer records;
    auto r = usual_row();
    constexpr std::size_t max = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> rows;
    for (std::size_t start : {std::size_t{0}, std::size_t{8}, std::size_t{97}, std::size_t{998},
                              std::size_t{9'999'998}, std::size_t{5}, std::size_t{99'999'999'999},
                              max - 2, std::size_t{0}})
        for (std::size_t k = 0; k < 4 && start + k >= start; ++k) rows.push_back(start + k);
    rows.insert(rows.end(), {1000, 999, 1000, 1000, 1001, max, 0, 10});
    for (std::size_t row : rows) {
        r.row = row;
        CAPTURE(row);
        CHECK(written(records, r) == reference_record(r));
    }
}

TEST_CASE("every outcome, status and move flag is written in its field") {
    csv_record_writer records;
    auto r = usual_row();
    for (auto o : prospect::policy::all_outcomes)
        for (int status : {0, 7, 201, 429, 2147483647})
            for (auto move : {std::optional<bool>{}, std::optional<bool>(false), std::optional<bool>(true)}) {
                r.outcome = o;
                r.http_status = status;
                r.attempts = status % 11;
                r.move_duplicates = move;
                CHECK(written(records, r) == reference_record(r));
            }
}
