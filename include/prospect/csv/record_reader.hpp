// Streaming CSV records (docs/contract.md "What is read"): finds record boundaries
// with quotes in mind, strips a BOM, detects the delimiter, maps headers to
// fields, and hands each record's cells to fast-cpp-csv-parser for chopping
// and unescaping. Memory stays at one read buffer plus the longest record.
#pragma once

#include "prospect/csv/field.hpp"
#include "prospect/text/byte_scan.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect::csv {

struct reader_params {
    // For messages: the path, or "standard input"; empty = derived from the path.
    std::string display_name;
    // nullopt: detect among ',' ';' '\t' from the header line; given: ASCII punctuation
    // other than '"', a space or a tab.
    std::optional<char> delimiter;
    // --column FIELD=HEADER overrides; they win over automatic detection.
    std::vector<std::pair<field, std::string>> columns;
    // Records longer than this (line break excluded) become one error record.
    std::size_t max_record_bytes = std::size_t{16} << 20;
    // Bytes asked of the input per read; tests use tiny values to put chunk
    // boundaries everywhere.
    std::size_t read_chunk_bytes = std::size_t{256} << 10;
};

struct record {
    // Spreadsheet row number: header = 1; a multi-line record is one row; blank lines count.
    std::size_t row = 0;
    // By field; empty when the column is absent or the row short; valid until next().
    std::array<std::string_view, field_count> cells;
    // Non-empty: the record is malformed (message for the report); cells are then empty.
    std::string_view error;

    std::string_view operator[](field f) const { return cells[static_cast<std::size_t>(f)]; }
};

// Whole-file problems (exit status 2 upstream): unreadable input, empty input,
// no header, no recognised url column, unknown --column header.
struct input_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class record_reader {
public:
    // path "-" = standard input (fd 0). Reads the header line at construction.
    record_reader(const std::string& path, reader_params params);
    // For tests and fuzzing: read from memory (the reader keeps its own copy).
    static record_reader from_string(std::string_view data, reader_params params);

    record_reader(record_reader&&) noexcept;
    record_reader& operator=(record_reader&&) noexcept;
    ~record_reader();

    char delimiter() const { return delimiter_; }
    bool has_column(field f) const { return column_of_[static_cast<std::size_t>(f)] >= 0; }
    // Header cells as read (trimmed and unescaped).
    const std::vector<std::string>& header() const { return header_; }
    // The header cell mapped to `f`, empty when none is.
    std::string_view column_header(field f) const;
    // The header's spreadsheet row (1 unless blank lines precede it).
    std::size_t header_row() const { return header_row_; }

    // False at end of input; skips blank and delimiter-only rows. Throws
    // input_error only when the input cannot be read any more.
    bool next(record& out);
    // Spreadsheet rows seen so far (incl. header and blank lines).
    std::size_t rows() const { return rows_; }
    std::uint64_t bytes_read() const { return bytes_read_; }
    // Sees every raw input chunk in order, from the first byte (BOM included);
    // bytes read before the call are replayed to it. Set before the first next().
    void set_observer(std::function<void(std::string_view)> observer);

    // Where the bytes come from (a file descriptor or memory); defined in the .cpp.
    struct source;
    // Where a cell of the framed record ends (offset from the record's first
    // byte) and whether it holds a quote.
    struct cell_bound {
        std::size_t end = 0;
        bool has_quote = false;
    };

private:
    record_reader(std::unique_ptr<source> src, reader_params&& params);

    struct frame {
        std::size_t begin = 0;        // offset in buf_
        std::size_t size = 0;         // bytes kept in buf_, line break excluded
        std::uint64_t total = 0;      // record bytes including any dropped for being too long
        bool unterminated = false;    // a quote was still open at the end of the input
        bool has_nul = false;
    };
    // Trims, checks and unescapes in place the cells of the record at `line`
    // that are mapped or hold a quote (it may write one byte past a cell);
    // returns the index of a cell with malformed quotes (and why), or -1. One
    // per delimiter.
    using parse_fn = int (*)(char* line, std::span<const cell_bound> bounds,
                             const std::vector<signed char>& field_of,
                             std::array<std::string_view, field_count>& cells, const char*& why);

    bool fill(std::size_t n);  // at least n unframed bytes buffered, unless the input ends first
    void check_text_format();  // throws for UTF-16/32 and workbooks saved under a .csv name
    void skip_sep_line();
    void read_header();
    bool repeats_header(const record& r) const;
    bool next_frame(frame& out);
    std::size_t refill(std::size_t& record_begin, std::size_t& scan);
    bool is_blank(const frame& f, std::string_view delimiters) const;
    void map_columns();

    std::unique_ptr<source> source_;
    reader_params params_;
    std::unique_ptr<char[]> buf_;
    std::size_t capacity_ = 0;  // usable bytes of buf_; one more is kept for a terminating NUL
    std::size_t pos_ = 0;       // first byte not yet framed
    std::size_t end_ = 0;       // end of the bytes read
    bool eof_ = false;
    bool started_ = false;
    std::string prelude_;       // bytes read before an observer was set
    std::function<void(std::string_view)> observer_;
    std::uint64_t bytes_read_ = 0;
    std::size_t rows_ = 0;
    std::size_t header_row_ = 0;
    char delimiter_ = ',';
    parse_fn parse_ = nullptr;
    // What framing stops at: quote, LF, CR, NUL and, once the header is read,
    // the delimiter (until then '"' stands in for it).
    char frame_delimiter_ = '"';
    text::byte_set<5> frame_stops_{{'"', '\n', '\r', '\0', '"'}};
    // Cells of the last frame, up to the header's count (the others are never
    // read): sized once the header is read, then framing fills the first
    // bound_count_ of them.
    std::vector<cell_bound> bounds_;
    std::size_t bound_count_ = 0;
    std::vector<std::string> header_;
    std::vector<signed char> field_of_column_;    // by column: field index, or -1
    std::array<int, field_count> column_of_{-1, -1, -1, -1};
    std::string error_;
};

}  // namespace prospect::csv
