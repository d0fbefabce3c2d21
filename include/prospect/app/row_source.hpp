// The front of every run: CSV records in, rows out, each either ready to
// send (valid, first of its key) or already settled as invalid or duplicate.
// Shared by the dry run and the live import so that both judge rows alike.
#pragma once

#include "prospect/app/config.hpp"
#include "prospect/csv/record_reader.hpp"
#include "prospect/lead/deduper.hpp"
#include "prospect/lead/validate.hpp"
#include "prospect/policy/outcome.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prospect::app {

struct source_row {
    std::size_t row = 0;
    std::string profile_url;                 // the url cell as read
    lead::validated_row lead;
    std::optional<policy::outcome> settled;  // invalid or duplicate: final, never sent
    std::string message;                     // why it is settled
};

// The move flag a row is (or would be) sent with, for the report; none for
// an invalid row.
inline std::optional<bool> move_flag_of(const source_row& r, policy::outcome o) {
    if (o == policy::outcome::invalid) return std::nullopt;
    return r.lead.move;
}

// For row_source::first_non_utf8_row(): one line naming that row and
// suggesting --encoding windows-1252; empty when the row is 0.
std::string encoding_warning(std::string_view input_name, std::size_t first_non_utf8_row);

class row_source {
public:
    // Opens the input and reads its header (looking ahead to choose columns).
    // Throws fatal_error (exit 2) when a row could never get a campaign or
    // list (no column and no default), csv::input_error for whole-file
    // problems (exit 2 before anything is sent).
    explicit row_source(const config& cfg);

    // Fills `out` (its buffers are reused) with the next data row, settled
    // if it is invalid. Throws csv::input_changed when a regular input file
    // changed while read.
    bool next(source_row& out);
    // Settles the duplicates among `rows`, the rows next() gave since the
    // last call, in input order. A batch at a time, so that the table's
    // look-ups overlap (lead::deduper::hash_ahead).
    void settle_duplicates(std::span<source_row> rows);
    // Sizes the de-duplication table for the whole of a regular file once
    // its first 1,000 rows are read, instead of growing it. For a run that
    // reads the file through at once (the dry run); a live import reads as
    // the server lets it, and its memory grows with the rows read, not with
    // the file's size.
    void size_table_for_file() { reserve_pending_ = true; }

    // The start-up lines (unless --quiet): one a field, saying which column
    // it comes from and why, or that it comes from an option or its default.
    std::vector<std::string> column_lines() const;
    // The first row read whose url, campaign, list or move cell is not UTF-8
    // while no --encoding (nor a BOM) said what the file is; 0 while none is.
    std::size_t first_non_utf8_row() const { return first_non_utf8_row_; }
    // The input's name in messages.
    const std::string& input_name() const { return name_; }

    const lead::deduper& deduper() const { return deduper_; }
    csv::record_reader& reader() { return reader_; }
    const csv::record_reader& reader() const { return reader_; }

private:
    void reserve_for_file();

    csv::record_reader reader_;
    lead::defaults defaults_;
    std::string name_;
    std::size_t first_non_utf8_row_ = 0;
    lead::deduper deduper_;
    std::vector<std::uint64_t> hashes_;  // settle_duplicates's, reused
    std::size_t rows_read_ = 0;
    bool reserve_pending_ = false;
    csv::record record_;
};

}  // namespace prospect::app
