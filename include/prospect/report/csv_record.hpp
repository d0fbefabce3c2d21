// The CSV report's records, written into room the caller made: the writer
// keeps its buffer at full size, so a row grows and zero-fills no string.
// Row numbers mostly go up by one, so the last one's digits are kept and
// counted up in place instead of converted again.
#pragma once

#include "prospect/report/csv_cell.hpp"
#include "prospect/report/row_result.hpp"

#include <array>
#include <cstddef>

namespace prospect::report {

class csv_record_writer {
public:
    // The most bytes write() may touch for `r`: its cells at their worst
    // (csv_cell.hpp) and the fixed-size stores of the other fields.
    static std::size_t bound(const row_result& r) noexcept {
        // the row number's store, six commas, the outcome's and the move
        // flag's stores, two numbers of up to 20 digits
        constexpr std::size_t fixed = row_end + 6 + 16 + 8 + 2 * 20;
        return fixed + cell_bound(r.profile_url.size()) + cell_bound(r.normalized_url.size()) +
               cell_bound(r.campaign_id.size()) + cell_bound(r.prospect_list_id.size()) +
               cell_bound(r.message.size());
    }

    // Writes r's record, newline included, at `w`, which has room for
    // bound(r) bytes; returns the end of the record.
    char* write(char* w, const row_result& r) noexcept;

private:
    char* put_row(char* w, std::size_t row) noexcept;
    // Any row but the one after the last: its digits converted.
    void restart_row(std::size_t row) noexcept;

    // The last row number, right-aligned in digits_[first_, row_end), and
    // room after it so that it is copied with one fixed-size store.
    static constexpr std::size_t row_end = 20;
    std::size_t last_row_ = 0;
    std::size_t first_ = row_end - 1;
    std::array<char, 2 * row_end> digits_ = [] {
        std::array<char, 2 * row_end> a{};
        a.fill('0');
        return a;
    }();
};

}  // namespace prospect::report
