// Formatting appends into the caller's buffer: no allocation once it has grown.
#include "prospect/report/format.hpp"

#include "prospect/text/json_escape.hpp"
#include "prospect/text/utf8.hpp"

#include <array>
#include <charconv>

namespace prospect::report {
namespace {

void append_number(std::string& out, std::size_t n) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, end);
}

// OWASP's list of characters that make a spreadsheet evaluate a cell.
bool looks_like_formula(std::string_view cell) noexcept {
    if (cell.empty()) return false;
    switch (cell.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
    default: return false;
    }
}

// Bytes that make a cell need quotes (1), and bytes outside ASCII (2),
// after which the cell is checked for UTF-8, looked up once per byte:
// std::string_view::find_first_of with a set calls memchr once per byte.
constexpr unsigned char needs_quotes = 1, not_ascii = 2;
constexpr std::array<unsigned char, 256> byte_kinds = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned char c : {',', '"', '\r', '\n'}) t[c] = needs_quotes;
    for (int c = 0x80; c < 0x100; ++c) t[c] = not_ascii;
    return t;
}();

// No early exit: most cells hold none, and a lookup and an OR a byte is the cheaper loop.
unsigned char kinds_in(std::string_view cell) noexcept {
    unsigned char seen = 0;
    for (char c : cell) seen |= byte_kinds[static_cast<unsigned char>(c)];
    return seen;
}

// The report is always UTF-8 (PRODUCT.md): a byte that starts no UTF-8
// sequence is written as U+FFFD.
std::string with_replacement_characters(std::string_view cell) {
    std::string out;
    while (!cell.empty()) {
        const std::size_t n = text::utf8_sequence_length(cell);
        out.append(n ? cell.substr(0, n) : std::string_view("\xEF\xBF\xBD"));
        cell.remove_prefix(n ? n : 1);
    }
    return out;
}

}  // namespace

std::optional<format> format_from_string(std::string_view s) noexcept {
    if (s == "csv") return format::csv;
    if (s == "jsonl") return format::jsonl;
    return std::nullopt;
}

std::string_view csv_header() noexcept {
    return "row,profile_url,normalized_url,campaign_id,prospect_list_id,outcome,http_status,attempts,message,"
           "move_duplicates\n";
}

void append_csv_cell(std::string& out, std::string_view cell) {
    const unsigned char kinds = kinds_in(cell);
    if ((kinds & not_ascii) && !text::is_valid_utf8(cell)) {
        append_csv_cell(out, with_replacement_characters(cell));
        return;
    }
    bool formula = looks_like_formula(cell);
    if (!formula && !(kinds & needs_quotes)) {
        out.append(cell);
        return;
    }
    out.push_back('"');
    if (formula) out.push_back('\'');
    // Each quote is doubled; the runs between quotes are appended whole.
    for (std::size_t q = cell.find('"'); q != std::string_view::npos; q = cell.find('"')) {
        out.append(cell.substr(0, q + 1));
        out.push_back('"');
        cell.remove_prefix(q + 1);
    }
    out.append(cell);
    out.push_back('"');
}

void append_csv(std::string& out, const row_result& r) {
    append_number(out, r.row);
    out.push_back(',');
    append_csv_cell(out, r.profile_url);
    out.push_back(',');
    append_csv_cell(out, r.normalized_url);
    out.push_back(',');
    append_csv_cell(out, r.campaign_id);
    out.push_back(',');
    append_csv_cell(out, r.prospect_list_id);
    out.push_back(',');
    out.append(policy::to_string(r.outcome));
    out.push_back(',');
    if (r.http_status) append_number(out, static_cast<std::size_t>(r.http_status));
    out.push_back(',');
    append_number(out, static_cast<std::size_t>(r.attempts));
    out.push_back(',');
    append_csv_cell(out, r.message);
    out.push_back(',');
    if (r.move_duplicates) out.append(*r.move_duplicates ? "true" : "false");
    out.push_back('\n');
}

void append_jsonl(std::string& out, const row_result& r) {
    using text::append_json_string;
    out.append("{\"row\":");
    append_number(out, r.row);
    out.append(",\"profile_url\":");
    append_json_string(out, r.profile_url);
    out.append(",\"normalized_url\":");
    append_json_string(out, r.normalized_url);
    out.append(",\"campaign_id\":");
    append_json_string(out, r.campaign_id);
    out.append(",\"prospect_list_id\":");
    append_json_string(out, r.prospect_list_id);
    out.append(",\"outcome\":\"");
    out.append(policy::to_string(r.outcome));
    out.append("\",\"http_status\":");
    if (r.http_status)
        append_number(out, static_cast<std::size_t>(r.http_status));
    else
        out.append("null");
    out.append(",\"attempts\":");
    append_number(out, static_cast<std::size_t>(r.attempts));
    out.append(",\"message\":");
    append_json_string(out, r.message);
    out.append(",\"move_duplicates\":");
    out.append(!r.move_duplicates ? "null" : *r.move_duplicates ? "true" : "false");
    out.append("}\n");
}

}  // namespace prospect::report
