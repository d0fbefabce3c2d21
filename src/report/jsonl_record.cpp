// The strings a caller made from checked parts (row_result::derived_cells_plain:
// the canonical URL, UUIDs, its own ASCII messages) are copied between quotes;
// the url cell as read, and every string of any other row, go through the
// JSON escaper.
#include "prospect/report/jsonl_record.hpp"

#include "prospect/policy/outcome.hpp"
#include "prospect/report/csv_cell.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace prospect::report {
namespace {

char* put_text(char* w, std::string_view text) noexcept {
    std::memcpy(w, text.data(), text.size());
    return w + text.size();
}

char* put_number(char* w, std::size_t n) noexcept { return std::to_chars(w, w + 20, n).ptr; }

// The keys and punctuation of a record, in the order write() puts them.
constexpr std::string_view pieces[] = {R"({"row":)",         R"(,"profile_url":)",  R"(,"normalized_url":)",
                                       R"(,"campaign_id":)",  R"(,"prospect_list_id":)", R"(,"outcome":")",
                                       R"(","http_status":)", R"(,"attempts":)",     R"(,"message":)",
                                       R"(,"move_duplicates":)", "}\n"};

constexpr std::size_t longest_fixed_text() {
    std::size_t size = 3 * 20 + 5;  // three numbers, and "false" for the move flag
    for (std::string_view piece : pieces) size += piece.size();
    std::size_t outcome = 0;
    for (auto o : policy::all_outcomes) outcome = std::max(outcome, policy::to_string(o).size());
    return size + outcome;
}

static_assert(longest_fixed_text() <= jsonl_record_writer::fixed_bound);

}  // namespace

char* jsonl_record_writer::write(char* w, const row_result& r) noexcept {
    auto made = [&](char* at, std::string_view s) {
        if (!r.derived_cells_plain) return text::write_json_string(at, s);
        *at++ = '"';
        at = put(at, s);
        *at++ = '"';
        return at;
    };
    w = put_text(w, pieces[0]);
    w = put_number(w, r.row);
    w = put_text(w, pieces[1]);
    w = text::write_json_string(w, r.profile_url);
    w = put_text(w, pieces[2]);
    w = made(w, r.normalized_url);
    w = put_text(w, pieces[3]);
    w = made(w, r.campaign_id);
    w = put_text(w, pieces[4]);
    w = made(w, r.prospect_list_id);
    w = put_text(w, pieces[5]);
    w = put_text(w, policy::to_string(r.outcome));
    w = put_text(w, pieces[6]);
    w = r.http_status ? put_number(w, static_cast<std::size_t>(r.http_status)) : put_text(w, "null");
    w = put_text(w, pieces[7]);
    w = put_number(w, static_cast<std::size_t>(r.attempts));
    w = put_text(w, pieces[8]);
    w = made(w, r.message);
    w = put_text(w, pieces[9]);
    w = put_text(w, !r.move_duplicates ? "null" : *r.move_duplicates ? "true" : "false");
    return put_text(w, pieces[10]);
}

}  // namespace prospect::report
