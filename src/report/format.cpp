// Formatting appends into the caller's buffer: no allocation once it has grown.
#include "prospect/report/format.hpp"

#include "prospect/text/json_escape.hpp"

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

// Bytes that make a cell need quotes, looked up once per byte:
// std::string_view::find_first_of with a set calls memchr once per byte.
constexpr std::array<bool, 256> quote_triggers = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {',', '"', '\r', '\n'}) t[c] = true;
    return t;
}();

// No early exit: most cells hold none, and a lookup and an OR a byte is the cheaper loop.
bool has_quote_trigger(std::string_view cell) noexcept {
    bool seen = false;
    for (char c : cell) seen |= quote_triggers[static_cast<unsigned char>(c)];
    return seen;
}

}  // namespace

std::optional<format> format_from_string(std::string_view s) noexcept {
    if (s == "csv") return format::csv;
    if (s == "jsonl") return format::jsonl;
    return std::nullopt;
}

std::string_view csv_header() noexcept {
    return "row,profile_url,normalized_url,campaign_id,prospect_list_id,outcome,http_status,attempts,message\n";
}

void append_csv_cell(std::string& out, std::string_view cell) {
    bool formula = looks_like_formula(cell);
    if (!formula && !has_quote_trigger(cell)) {
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
    out.append("}\n");
}

}  // namespace prospect::report
