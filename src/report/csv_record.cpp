// A record whose cells are all plain (the usual one) is copied field by
// field; a row whose caller vouches for the cells it made has only its
// profile_url cell looked at (row_result::derived_cells_plain). Any other
// record is written cell by cell through write_cell().
#include "prospect/report/csv_record.hpp"

#include "prospect/policy/outcome.hpp"
#include "prospect/report/csv_cell.hpp"

#include <charconv>
#include <cstring>
#include <string_view>

namespace prospect::report {
namespace {

// A field with the commas around it, padded so that it is copied with one
// fixed-size store (the record's bound has room for the padding).
template <std::size_t n>
struct padded_field {
    std::array<char, n> text{};
    std::size_t size = 0;
};

template <std::size_t n>
constexpr padded_field<n> field(std::string_view before, std::string_view value, std::string_view after) {
    padded_field<n> f;
    for (std::string_view part : {before, value, after})
        for (char c : part) f.text[f.size++] = c;
    return f;
}

// ",<outcome>," by outcome::value.
constexpr auto outcome_fields = [] {
    std::array<padded_field<16>, std::size(policy::all_outcomes)> t{};
    for (auto o : policy::all_outcomes) t.at(static_cast<std::size_t>(o)) = field<16>(",", policy::to_string(o), ",");
    return t;
}();

// ",<move_duplicates>\n": none, false, true.
constexpr std::array<padded_field<8>, 3> move_fields{field<8>(",", "", "\n"), field<8>(",", "false", "\n"),
                                                     field<8>(",", "true", "\n")};

template <std::size_t n>
char* put_field(char* w, const padded_field<n>& f) noexcept {
    std::memcpy(w, f.text.data(), n);
    return w + f.size;
}

char* put_long_number(char* w, std::size_t n) noexcept { return std::to_chars(w, w + 20, n).ptr; }

// Attempts are mostly one digit: no call for them.
inline char* put_number(char* w, std::size_t n) noexcept {
    if (n < 10) {
        *w = static_cast<char>('0' + n);
        return w + 1;
    }
    return put_long_number(w, n);
}

}  // namespace

void csv_record_writer::restart_row(std::size_t row) noexcept {
    char text[row_end];
    const char* end = std::to_chars(text, text + row_end, row).ptr;
    const auto size = static_cast<std::size_t>(end - text);
    first_ = row_end - size;
    std::memset(digits_.data(), '0', first_);
    std::memcpy(digits_.data() + first_, text, size);
}

inline char* csv_record_writer::put_row(char* w, std::size_t row) noexcept {
    if (row != 0 && row - 1 == last_row_) {
        // digits left of first_ are all '0', and no 20-digit row is all 9s
        std::size_t i = row_end - 1;
        while (digits_[i] == '9') digits_[i--] = '0';
        ++digits_[i];
        if (i < first_) first_ = i;
    } else {
        restart_row(row);
    }
    last_row_ = row;
    std::memcpy(w, digits_.data() + first_, row_end);
    return w + (row_end - first_);
}

namespace {

// The fields after the row number; `plain` says whether the cells are
// copied as they are or written through write_cell().
template <bool plain>
char* put_fields(char* w, const row_result& r) noexcept {
    auto cell = [](char* at, std::string_view c) {
        if constexpr (plain)
            return put(at, c);
        else
            return write_cell(at, c);
    };
    *w++ = ',';
    w = cell(w, r.profile_url);
    *w++ = ',';
    w = cell(w, r.normalized_url);
    *w++ = ',';
    w = cell(w, r.campaign_id);
    *w++ = ',';
    w = cell(w, r.prospect_list_id);
    w = put_field(w, outcome_fields[static_cast<std::size_t>(r.outcome)]);
    if (r.http_status) w = put_number(w, static_cast<std::size_t>(r.http_status));
    *w++ = ',';
    w = put_number(w, static_cast<std::size_t>(r.attempts));
    *w++ = ',';
    w = cell(w, r.message);
    return put_field(w, move_fields[!r.move_duplicates ? 0 : *r.move_duplicates ? 2 : 1]);
}

}  // namespace

char* csv_record_writer::write(char* w, const row_result& r) noexcept {
    w = put_row(w, r.row);
    const bool plain = cell_is_plain(r.profile_url) &&
                       (r.derived_cells_plain || (cell_is_plain(r.normalized_url) && cell_is_plain(r.campaign_id) &&
                                                  cell_is_plain(r.prospect_list_id) && cell_is_plain(r.message)));
    return plain ? put_fields<true>(w, r) : put_fields<false>(w, r);
}

}  // namespace prospect::report
