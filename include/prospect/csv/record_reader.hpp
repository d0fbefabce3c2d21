// Streaming CSV records (docs/contract.md "What is read", "Columns"): decodes
// UTF-16 and 8-bit input to UTF-8, finds record boundaries with quotes in
// mind, strips a BOM, detects the delimiter, maps headers to fields (telling
// candidate url columns apart by their first cells), and hands each record's
// cells to fast-cpp-csv-parser for chopping and unescaping. Memory stays at
// one read buffer plus the longest record (or the bounded look-ahead).
#pragma once

#include "prospect/csv/field.hpp"
#include "prospect/csv/stop_scan.hpp"

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

struct record_scan;  // framing's progress through a record (src/csv/record_scan.hpp)

// --encoding. Without it: UTF-8, or UTF-16 when the input starts with its BOM.
enum class encoding : unsigned char { utf8, utf16, windows_1252, latin1 };
std::optional<encoding> encoding_from_string(std::string_view name);
std::string_view to_string(encoding e);

struct reader_params {
    // For messages: the path, or "standard input"; empty = derived from the path.
    std::string display_name;
    // nullopt: detect among ',' ';' '\t' from the header line; given: ASCII punctuation
    // other than '"', a space or a tab.
    std::optional<char> delimiter;
    // --column FIELD=HEADER overrides; they win over automatic detection. An
    // empty HEADER (--column FIELD=) ignores the column detection would take.
    std::vector<std::pair<field, std::string>> columns;
    // nullopt: UTF-8, or UTF-16 by its BOM. A BOM always wins over this.
    std::optional<csv::encoding> encoding;
    // The look-ahead's judges (this layer knows nothing of leads): is a cell
    // a member profile URL, is it a UUID. Unset: several url columns go to
    // the earlier header, campaign and list columns are not checked.
    std::function<bool(std::string_view)> is_profile_url;
    std::function<bool(std::string_view)> is_uuid;
    // The look-ahead reads at most this many records and bytes (then replays them).
    std::size_t look_ahead_records = 1000;
    std::size_t look_ahead_bytes = std::size_t{8} << 20;
    // A regular file is checked for changes after this many bytes and at the end.
    std::uint64_t change_check_bytes = std::uint64_t{4} << 20;
    // Records longer than this (line break excluded) become one error record.
    std::size_t max_record_bytes = std::size_t{16} << 20;
    // Bytes asked of the input per read; tests use tiny values to put chunk
    // boundaries everywhere.
    std::size_t read_chunk_bytes = std::size_t{256} << 10;
    // How framing finds quotes, line breaks and delimiters; nullopt: the
    // widest this CPU runs. Tests force each kind.
    std::optional<scan_kind> scan;
    // Tests: split every record at every cell by the plain rule (each quote
    // opens or closes quoting), as records with unusual quotes are, instead of
    // taking only the mapped cells from framing; both must read the same.
    bool split_every_cell = false;
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
// no header, no recognised url column, unknown --column header, a campaign
// or list column without a UUID in its first cells, a compressed file.
struct input_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A regular file changed while it was read (appended, truncated, rewritten):
// thrown by next() (or the constructor) as soon as it is seen, at the latest
// when the end of input is reached, before the last rows are handed out.
struct input_changed : input_error {
    using input_error::input_error;
};

class record_reader {
public:
    // path "-" = standard input (fd 0); the path is opened once, and anything
    // that is not a regular file is read as a stream. Reads the header line
    // (and, when columns must be told apart, looks ahead) at construction.
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
    // Why `f` was mapped as it is, for the start-up lines: e.g.
    // `"defaultProfileUrl" (column 4), chosen over "profileUrl": 998 of 1,000
    // cells are profile URLs against 0`; empty when no column is mapped and
    // none was ignored.
    const std::string& column_note(field f) const { return notes_[static_cast<std::size_t>(f)]; }
    // How the input was decoded, and whether that was chosen by --encoding or a BOM.
    csv::encoding input_encoding() const { return encoding_; }
    bool encoding_chosen() const { return encoding_chosen_; }
    // For the progress estimate: a regular file's size from where it was opened
    // (memory's too); nullopt for streams. bytes_read() counts the same bytes.
    std::optional<std::uint64_t> input_size() const;
    bool input_is_regular_file() const;

    // False at end of input; skips blank and delimiter-only rows and a Ctrl-Z
    // alone on the last line. Throws input_error only when the input cannot be
    // read any more, input_changed when a regular file changed under it.
    bool next(record& out);
    // Spreadsheet rows seen so far (incl. header and blank lines).
    std::size_t rows() const { return rows_; }
    // Input bytes read so far (before decoding), look-ahead included.
    std::uint64_t bytes_read() const;
    // Input bytes up to the end of the last record returned: what the
    // progress estimate compares with the input's size, since reading may
    // run a whole chunk (or a small file) ahead of the rows. For decoded
    // input the bytes still buffered are counted as decoded.
    std::uint64_t bytes_consumed() const;
    // True when every byte read so far is framed: the next record needs a
    // read. Inline, for a check after every row.
    bool all_buffered_framed() const noexcept { return pos_ == end_; }
    // Sees every chunk of (decoded) input in order, from the first byte (BOM
    // included); bytes read before the call are replayed to it. Set before
    // the first next().
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
        bool plain_quotes = true;     // every quote opens, closes or doubles inside a cell
        std::size_t noted = 0;        // wanted delimiters found (offsets in noted_)
    };
    // Trims, checks and unescapes in place the cells of the record at `line`
    // that are mapped or hold a quote (it may write one byte past a cell);
    // returns the index of a cell with malformed quotes (and why), or -1. One
    // per delimiter; for records split by split_cells.
    using parse_fn = int (*)(char* line, std::span<const cell_bound> bounds,
                             const std::vector<signed char>& field_of,
                             std::array<std::string_view, field_count>& cells, const char*& why);

    bool fill(std::size_t n);  // at least n unframed bytes buffered, unless the input ends first
    void choose_encoding();    // throws for UTF-32, gzip and workbooks saved under a .csv name
    struct judged_column;
    void look_ahead(std::vector<judged_column>& judged);
    void choose_columns(const std::vector<std::size_t>& url_candidates);
    void skip_sep_line();
    void read_header();
    bool repeats_header(const record& r) const;
    bool next_frame(frame& out);
    // The cells of `f` up to the header's count, split by the plain rule into bounds_.
    std::span<const cell_bound> split_cells(const frame& f);
    // The mapped cells of a frame with plain quotes, from the delimiters framing noted.
    void take_mapped_cells(const frame& f, std::array<std::string_view, field_count>& cells);
    void want_mapped_cells();
    std::size_t refill(std::size_t& record_begin, std::size_t& scan);
    bool is_blank(const frame& f, std::string_view delimiters) const;
    // Returns the columns that could be the url column, in header order.
    std::vector<std::size_t> map_columns();

    std::unique_ptr<source> source_;
    reader_params params_;
    std::unique_ptr<char[]> buf_;
    std::size_t capacity_ = 0;  // usable bytes of buf_; one more is kept for a terminating NUL
    std::size_t pos_ = 0;       // first byte not yet framed
    std::size_t end_ = 0;       // end of the bytes read
    bool eof_ = false;
    // While looking ahead: the first byte refill must keep (the records are
    // replayed from it), else npos_pin. refill throws look_ahead_full when the
    // bytes kept reach the look-ahead's budget.
    static constexpr std::size_t npos_pin = static_cast<std::size_t>(-1);
    struct look_ahead_full {};
    std::size_t pin_ = npos_pin;
    bool started_ = false;
    std::string prelude_;       // bytes read before an observer was set
    std::function<void(std::string_view)> observer_;
    csv::encoding encoding_ = csv::encoding::utf8;
    bool encoding_chosen_ = false;
    std::size_t rows_ = 0;
    std::size_t header_row_ = 0;
    char delimiter_ = ',';
    parse_fn parse_ = nullptr;
    // What framing stops at: quote, LF, CR, NUL and, once the header is read,
    // the delimiter (until then '"' stands in for it).
    char frame_delimiter_ = '"';
    std::size_t (*scan_)(record_scan&, const char*, std::size_t, char) = nullptr;
    // The delimiters (numbered from 0) framing notes: those that start or end
    // a mapped cell, ascending, then a sentinel (alone until the columns are
    // chosen); noted_ gets their offsets in the record.
    std::vector<std::size_t> wanted_;
    std::vector<std::size_t> noted_;
    // The mapped fields (the first mapped_count_), each with the indices in
    // wanted_ of the delimiters before and after its cell (before: no_mark
    // for the first column).
    static constexpr std::size_t no_mark = static_cast<std::size_t>(-1);
    struct mapped_cell {
        std::size_t field = 0, before = 0, after = 0;
    };
    std::array<mapped_cell, field_count> mapped_{};
    std::size_t mapped_count_ = 0;
    // Cells up to the header's count (the others are never read), for records
    // split by split_cells: sized once the header is read.
    std::vector<cell_bound> bounds_;
    std::vector<std::string> header_;
    std::vector<signed char> field_of_column_;    // by column: field index, or -1
    std::array<int, field_count> column_of_{-1, -1, -1, -1};
    std::array<std::string, field_count> notes_;
    std::array<bool, field_count> by_option_{};
    std::string error_;
};

}  // namespace prospect::csv
