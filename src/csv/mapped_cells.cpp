// Which cells of a record are taken and how: framing notes only the
// delimiters around the mapped cells, which are trimmed and unquoted here by
// fccp's rules; a record with an unusual quote anywhere is split at every
// cell instead (split_cells), so that record_reader.cpp checks them all.
#include "prospect/csv/record_reader.hpp"

#include "record_scan.hpp"

#define CSV_IO_NO_THREAD
#include <libfccp/csv.h>

#include <algorithm>

namespace prospect::csv {

void record_reader::want_mapped_cells() {
    std::vector<std::size_t> wanted;
    for (int column : column_of_) {
        if (column < 0) continue;
        if (column > 0) wanted.push_back(static_cast<std::size_t>(column) - 1);
        wanted.push_back(static_cast<std::size_t>(column));
    }
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    auto index_of = [&](std::size_t delimiter) {
        return static_cast<std::size_t>(std::lower_bound(wanted.begin(), wanted.end(), delimiter) - wanted.begin());
    };
    mapped_count_ = 0;
    for (std::size_t i = 0; i < field_count; ++i) {
        if (column_of_[i] < 0) continue;
        const auto column = static_cast<std::size_t>(column_of_[i]);
        mapped_[mapped_count_++] = {i, column == 0 ? no_mark : index_of(column - 1), index_of(column)};
    }
    noted_.assign(wanted.size(), 0);
    wanted.push_back(record_scan::none);
    wanted_ = std::move(wanted);
}

// With plain quotes a cell holds a quote only when it starts (and ends) with
// one, and none can be malformed: trimming and unescaping is all there is.
void record_reader::take_mapped_cells(const frame& f, std::array<std::string_view, field_count>& cells) {
    char* line = buf_.get() + f.begin;
    for (std::size_t k = 0; k < mapped_count_; ++k) {
        const auto [i, before, after] = mapped_[k];
        std::size_t at = 0;
        if (before != no_mark) {
            if (before >= f.noted) continue;  // a short row: the cell is empty
            at = noted_[before] + 1;
        }
        char* b = line + at;
        char* e = line + (after < f.noted ? noted_[after] : f.size);
        io::trim_chars<' ', '\t'>::trim(b, e);
        // The separator is only fccp's for splitting; unescaping does not use it.
        io::double_quote_escape<',', '"'>::unescape(b, e);
        cells[i] = {b, static_cast<std::size_t>(e - b)};
    }
}

// fccp's chop_next_column rule: each quote opens or closes quoting, and an
// unquoted delimiter ends a cell.
std::span<const record_reader::cell_bound> record_reader::split_cells(const frame& f) {
    const char* line = buf_.get() + f.begin;
    const std::size_t limit = bounds_.size();
    std::size_t count = 0;
    bool in_quotes = false;
    bool has_quote = false;
    for (std::size_t i = 0; i < f.size && count < limit; ++i) {
        if (line[i] == '"') {
            in_quotes = !in_quotes;
            has_quote = true;
        } else if (line[i] == delimiter_ && !in_quotes) {
            bounds_[count++] = {i, has_quote};
            has_quote = false;
        }
    }
    if (count < limit) bounds_[count++] = {f.size, has_quote};
    return {bounds_.data(), count};
}

}  // namespace prospect::csv
