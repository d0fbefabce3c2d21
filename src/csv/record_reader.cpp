// The header, the choice of delimiter and dialect, and cell parsing by
// fast-cpp-csv-parser. fccp's LineReader splits at every line break and keeps
// a 48 MiB buffer, so records are framed by framing.cpp (quote-aware, any
// record length up to the limit), which notes where the mapped cells are in
// the same pass; they go to fccp's trimming and unescaping (mapped_cells.cpp),
// and records with unusual quotes are split and checked cell by cell here.
#include "prospect/csv/record_reader.hpp"

#include "record_scan.hpp"
#include "source.hpp"
#include "wording.hpp"

#include "prospect/text/byte_scan.hpp"

#define CSV_IO_NO_THREAD
#include <libfccp/csv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace prospect::csv {

namespace {

constexpr std::string_view candidate_delimiters = ",;\t";

// fccp's unescape is lenient; we hold a cell that holds a quote to RFC 4180,
// except that quotes inside an unquoted cell are read literally (`John "JJ"
// Smith`) as long as they enclose no delimiter or line break: only then would
// fccp and a spreadsheet disagree on where cells end.
const char* quoting_problem(const char* b, const char* e, char sep) {
    if (*b != '"') {
        for (const char* p = b; p != e; ++p)
            if (*p == sep || *p == '\n' || *p == '\r')
                return "a quote inside an unquoted cell encloses a delimiter or line break";
        return nullptr;
    }
    if (e - b < 2 || e[-1] != '"') return "text follows the closing quote";
    const char* inner_end = e - 1;
    for (const char* p = b + 1;; p += 2) {
        p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(inner_end - p)));
        if (!p) return nullptr;
        if (p + 1 == inner_end || p[1] != '"') return "text follows the closing quote";
    }
}

template <char sep>
using quote_policy = io::double_quote_escape<sep, '"'>;
using trim_policy = io::trim_chars<' ', '\t'>;

using cell_bound = record_reader::cell_bound;

// Cells without a quote that no field maps are not even trimmed: there is
// nothing to check or keep in them.
template <char sep>
int parse_cells(char* line, std::span<const cell_bound> bounds, const std::vector<signed char>& field_of,
                std::array<std::string_view, field_count>& cells, const char*& why) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < bounds.size(); at = bounds[i].end + 1, ++i) {
        const bool has_quote = bounds[i].has_quote;
        if (field_of[i] < 0 && !has_quote) continue;
        char* b = line + at;
        char* e = line + bounds[i].end;
        trim_policy::trim(b, e);
        if (has_quote && (why = quoting_problem(b, e, sep))) return static_cast<int>(i);
        if (field_of[i] >= 0) {
            if (has_quote) quote_policy<sep>::unescape(b, e);
            cells[static_cast<std::size_t>(field_of[i])] = {b, static_cast<std::size_t>(e - b)};
        }
    }
    return -1;
}

// The header is framed before its delimiter is known, so it is split here,
// by the rule framing follows for rows: each quote opens or closes quoting.
template <char sep>
int parse_header(char* line, std::size_t size, std::vector<std::string>& header, const char*& why) {
    for (std::size_t at = 0;;) {
        bool has_quote = false;
        std::size_t end = at;
        for (;;) {
            end = text::byte_set<2>({sep, '"'}).find(line, end, size);
            if (end == size || line[end] == sep) break;
            has_quote = true;
            const void* closing = std::memchr(line + end + 1, '"', size - end - 1);
            if (!closing) throw io::error::escaped_string_not_closed();
            end = static_cast<std::size_t>(static_cast<const char*>(closing) - line) + 1;
        }
        char* b = line + at;
        char* e = line + end;
        trim_policy::trim(b, e);
        if (has_quote && (why = quoting_problem(b, e, sep))) return static_cast<int>(header.size());
        if (has_quote) quote_policy<sep>::unescape(b, e);
        header.emplace_back(b, e);
        if (end == size) return -1;
        at = end + 1;
    }
}

// fccp takes the delimiter as a template argument: one instantiation per
// delimiter we accept, picked at run time.
constexpr std::string_view supported_delimiters = ",;\t|:!#$%&'()*+-./<=>?@[\\]^_`{}~ ";

struct dialect {
    int (*parse)(char*, std::span<const cell_bound>, const std::vector<signed char>&,
                 std::array<std::string_view, field_count>&, const char*&);
    int (*parse_header)(char*, std::size_t, std::vector<std::string>&, const char*&);
};

template <std::size_t... i>
constexpr auto make_dialects(std::index_sequence<i...>) {
    return std::array{dialect{&parse_cells<supported_delimiters[i]>, &parse_header<supported_delimiters[i]>}...};
}
constexpr auto dialects = make_dialects(std::make_index_sequence<supported_delimiters.size()>{});

}  // namespace

record_reader::record_reader(const std::string& path, reader_params params)
    : record_reader(
          [&] {
              if (params.display_name.empty())
                  params.display_name = path == "-" ? "standard input" : path;
              return open_fd_source({path, params.display_name, params.change_check_bytes});
          }(),
          std::move(params)) {}

record_reader record_reader::from_string(std::string_view data, reader_params params) {
    if (params.display_name.empty()) params.display_name = "input";
    return record_reader(make_memory_source(data), std::move(params));
}

record_reader::record_reader(std::unique_ptr<source> src, reader_params&& params)
    : source_(std::move(src)), params_(std::move(params)) {
    params_.read_chunk_bytes = std::max<std::size_t>(params_.read_chunk_bytes, 1);
    capacity_ = params_.read_chunk_bytes;
    scan_ = record_scan_for(params_.scan.value_or(best_scan_kind()));
    wanted_.assign(1, record_scan::none);
    buf_ = std::make_unique_for_overwrite<char[]>(capacity_ + 1);
    read_header();
}

record_reader::record_reader(record_reader&&) noexcept = default;
record_reader& record_reader::operator=(record_reader&&) noexcept = default;
record_reader::~record_reader() = default;

std::string_view record_reader::column_header(field f) const {
    int c = column_of_[static_cast<std::size_t>(f)];
    return c < 0 ? std::string_view{} : std::string_view{header_[static_cast<std::size_t>(c)]};
}

void record_reader::set_observer(std::function<void(std::string_view)> observer) {
    if (started_) throw std::logic_error("record_reader::set_observer after next()");
    observer_ = std::move(observer);
    if (observer_ && !prelude_.empty()) observer_(prelude_);
    std::string().swap(prelude_);
}

// Excel writes and honours a first line "sep=;" (sometimes quoted) naming the
// delimiter; Excel does not show it, so it is not a spreadsheet row either. An
// explicit --delimiter still wins.
void record_reader::skip_sep_line() {
    fill(9);
    std::string_view head(buf_.get() + pos_, end_ - pos_);
    std::size_t at = head.starts_with('"') ? 1 : 0;
    const bool quoted = at == 1;
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (head.size() < at + 5) return;
    for (char c : std::string_view("sep="))
        if (lower(head[at++]) != c) return;
    const char sep = head[at++];
    if (sep == '\r' || sep == '\n' || sep == '"') return;
    if (quoted && (at == head.size() || head[at++] != '"')) return;
    if (at < head.size() && head[at] == '\r') {
        ++at;
        if (at < head.size() && head[at] == '\n') ++at;
    } else if (at < head.size() && head[at] == '\n') {
        ++at;
    } else if (at < head.size()) {
        return;
    }
    if (!params_.delimiter) {
        if (supported_delimiters.find(sep) == std::string_view::npos)
            throw input_error(params_.display_name + ": its first line \"sep=" + std::string(1, sep) +
                              "\" names a delimiter that is not supported: use --delimiter");
        params_.delimiter = sep;
    }
    pos_ += at;
}

void record_reader::read_header() {
    const std::string& name = params_.display_name;
    if (params_.delimiter && supported_delimiters.find(*params_.delimiter) == std::string_view::npos)
        throw input_error("unsupported delimiter '" + std::string(1, *params_.delimiter) +
                          "': use a punctuation character, a space or a tab");

    choose_encoding();
    // Tools that add a BOM without looking sometimes add a second one.
    while (fill(3) && std::string_view(buf_.get() + pos_, 3) == "\xEF\xBB\xBF") pos_ += 3;
    if (!fill(1)) throw input_error(name + " is empty");
    skip_sep_line();

    const std::string_view blank_delimiters =
        params_.delimiter ? std::string_view(&*params_.delimiter, 1) : candidate_delimiters;
    frame f;
    do {
        if (!next_frame(f)) throw input_error(name + " has no header row (it holds only blank lines)");
    } while (is_blank(f, blank_delimiters));
    header_row_ = rows_;
    const std::string where = name + " row " + std::to_string(header_row_) + " (the header)";
    if (f.unterminated) throw input_error(where + ": a quote never closes");
    if (f.total > params_.max_record_bytes)
        throw input_error(where + " is longer than " + std::to_string(params_.max_record_bytes) + " bytes");
    if (f.has_nul) throw input_error(where + " contains a NUL byte: is this a CSV text file?");

    char* line = buf_.get() + f.begin;
    if (!params_.delimiter) {
        std::array<std::size_t, 3> counts{};
        bool in_quotes = false;
        for (std::size_t i = 0; i < f.size; ++i) {
            if (line[i] == '"') in_quotes = !in_quotes;
            auto k = candidate_delimiters.find(line[i]);
            if (!in_quotes && k != std::string_view::npos) ++counts[k];
        }
        auto best = std::max_element(counts.begin(), counts.end()) - counts.begin();
        params_.delimiter = candidate_delimiters[static_cast<std::size_t>(best)];
    }
    delimiter_ = *params_.delimiter;
    const dialect& d = dialects[supported_delimiters.find(delimiter_)];
    parse_ = d.parse;

    const char* why = nullptr;
    if (int bad = d.parse_header(line, f.size, header_, why); bad >= 0)
        throw input_error(where + ": malformed quotes in column " + std::to_string(bad + 1) + ": " + why);
    const std::vector<std::size_t> url_candidates = map_columns();
    bounds_.resize(header_.size());
    frame_delimiter_ = delimiter_;
    choose_columns(url_candidates);
    want_mapped_cells();
}

// A second export appended to the first brings its header along (BOM and
// all); its url cell holding the url column's name is enough to know it,
// and costs one length comparison on ordinary rows.
bool record_reader::repeats_header(const record& r) const {
    std::string_view cell = r[field::url];
    if (cell.starts_with("\xEF\xBB\xBF")) cell.remove_prefix(3);
    return cell == column_header(field::url);
}

bool record_reader::next(record& out) {
    if (!started_) {
        started_ = true;
        std::string().swap(prelude_);
    }
    const std::string_view delimiters(&delimiter_, 1);
    frame f;
    while (next_frame(f)) {
        // A blank row starts with a space, a tab or the delimiter (or is empty): most rows are not looked at twice.
        const char first = f.size > 0 ? buf_[f.begin] : ' ';
        if ((first == ' ' || first == '\t' || first == delimiter_) && is_blank(f, delimiters)) continue;
        // An old DOS end-of-file mark, alone on the last line: not a row.
        if (f.size == 1 && f.total == 1 && buf_[f.begin] == '\x1A' && !fill(1)) {
            --rows_;
            continue;
        }
        out.row = rows_;
        out.cells = {};
        out.error = {};
        if (f.unterminated) {
            error_ = "a quote opened in this row never closes (the row runs to the end of the file)";
        } else if (f.total > params_.max_record_bytes) {
            error_ = "row is " + std::to_string(f.total) + " bytes long, over the limit of " +
                     std::to_string(params_.max_record_bytes) + " bytes";
        } else if (f.has_nul) {
            error_ = "row contains a NUL byte";
        } else {
            const char* why = nullptr;
            int bad = -1;
            try {
                // Unusual quotes anywhere: every cell up to the header's count is split and checked.
                if (f.plain_quotes && !params_.split_every_cell)
                    take_mapped_cells(f, out.cells);
                else
                    bad = parse_(buf_.get() + f.begin, split_cells(f), field_of_column_, out.cells, why);
                if (bad < 0 && !repeats_header(out)) return true;
                if (bad < 0)
                    error_ = "repeats the header (row " + std::to_string(header_row_) +
                             "): were two files pasted together? not a lead";
                else
                    error_ = "malformed quotes in column " + std::to_string(bad + 1) + " " +
                             quoted(header_[static_cast<std::size_t>(bad)]) + ": " + why;
            } catch (const io::error::base& e) {
                // Framing leaves fccp nothing to throw on; should it ever, the row is still a value.
                error_ = e.what();
            }
            out.cells = {};
        }
        out.error = error_;
        return true;
    }
    return false;
}

}  // namespace prospect::csv
