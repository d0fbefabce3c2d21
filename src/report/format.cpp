// Formatting appends into the caller's buffer: no allocation once it has grown.
#include "prospect/report/format.hpp"

#include "prospect/text/json_escape.hpp"
#include "prospect/text/utf8.hpp"

#include <array>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// No early exit: most cells hold none. With SSE2 (always there on x86-64)
// 16 bytes a step, the last step overlapping; the table takes cells under 16
// bytes, and every cell elsewhere.
unsigned char kinds_in(std::string_view cell) noexcept {
    unsigned char seen = 0;
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                  lf = _mm_set1_epi8('\n');
    __m128i specials = _mm_setzero_si128(), high = _mm_setzero_si128();
    auto step = [&](std::size_t at) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(cell.data() + at));
        specials = _mm_or_si128(specials, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
        high = _mm_or_si128(high, v);
    };
    if (cell.size() >= 16) {
        for (; i + 16 <= cell.size(); i += 16) step(i);
        step(cell.size() - 16);  // the tail, overlapping bytes already seen
        i = cell.size();
    }
    if (_mm_movemask_epi8(specials)) seen |= needs_quotes;
    if (_mm_movemask_epi8(high)) seen |= not_ascii;
#endif
    for (; i < cell.size(); ++i) seen |= byte_kinds[static_cast<unsigned char>(cell[i])];
    return seen;
}

// Written as it is: no quotes, no formula prefix, no replacement characters.
bool is_plain(std::string_view cell) noexcept {
    if (looks_like_formula(cell)) return false;
    const unsigned char kinds = kinds_in(cell);
    return kinds == 0 || (kinds == not_ascii && text::is_valid_utf8(cell));
}

char* put(char* w, std::string_view s) noexcept {
    if (s.empty()) return w;  // an empty view's data() may be null: no memcpy from it
    std::memcpy(w, s.data(), s.size());
    return w + s.size();
}

char* put_number(char* w, std::size_t n) noexcept { return std::to_chars(w, w + 20, n).ptr; }

// The report is always UTF-8 (docs/contract.md): a byte that starts no UTF-8
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

// The usual record, whose cells are all plain, is written straight into
// room made once; any other goes cell by cell.
void append_csv(std::string& out, const row_result& r) {
    if (is_plain(r.profile_url) && is_plain(r.normalized_url) && is_plain(r.campaign_id) &&
        is_plain(r.prospect_list_id) && is_plain(r.message)) {
        const std::size_t at = out.size();
        // three numbers of up to 20 digits, ten separators, the longest outcome and flag
        out.resize(at + 100 + r.profile_url.size() + r.normalized_url.size() + r.campaign_id.size() +
                   r.prospect_list_id.size() + r.message.size());
        char* w = out.data() + at;
        w = put_number(w, r.row);
        *w++ = ',';
        w = put(w, r.profile_url);
        *w++ = ',';
        w = put(w, r.normalized_url);
        *w++ = ',';
        w = put(w, r.campaign_id);
        *w++ = ',';
        w = put(w, r.prospect_list_id);
        *w++ = ',';
        w = put(w, policy::to_string(r.outcome));
        *w++ = ',';
        if (r.http_status) w = put_number(w, static_cast<std::size_t>(r.http_status));
        *w++ = ',';
        w = put_number(w, static_cast<std::size_t>(r.attempts));
        *w++ = ',';
        w = put(w, r.message);
        *w++ = ',';
        if (r.move_duplicates) w = put(w, *r.move_duplicates ? "true" : "false");
        *w++ = '\n';
        out.resize(static_cast<std::size_t>(w - out.data()));
        return;
    }
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
