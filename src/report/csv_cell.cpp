// A cell's bytes are looked at once (16 at a step) to tell the usual plain
// cell from one that needs quotes or a UTF-8 check; only the rare others are
// walked again to be escaped.
#include "prospect/report/csv_cell.hpp"

#include "prospect/text/utf8.hpp"

#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect::report {
namespace {

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

#if defined(__SSE2__)
__m128i load16(const char* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// Whether any of the (16 or more) bytes needs quotes: 16 bytes a step, the
// last step overlapping.
bool has_specials(std::string_view cell) noexcept {
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                  lf = _mm_set1_epi8('\n');
    __m128i specials = _mm_setzero_si128();
    auto step = [&](std::size_t at) {
        const __m128i v = load16(cell.data() + at);
        specials = _mm_or_si128(specials, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
    };
    for (std::size_t i = 0; i + 16 <= cell.size(); i += 16) step(i);
    step(cell.size() - 16);
    return _mm_movemask_epi8(specials) != 0;
}
#endif

// No early exit: most cells hold none. With SSE2 (always there on x86-64),
// cells of 16 bytes or more go 16 bytes a step, the last step overlapping:
// every byte that needs quotes is below '-', which URLs and ids seldom
// hold, so a step keeps only the lowest byte and the OR of the bytes, and
// the exact compares run only on a cell with a byte that low. The table
// takes shorter cells, and every cell elsewhere.
[[gnu::always_inline]] inline unsigned char kinds_in(std::string_view cell) noexcept {
    unsigned char seen = 0;
#if defined(__SSE2__)
    if (cell.size() >= 16) {
        __m128i lowest = _mm_set1_epi8(-1), high = _mm_setzero_si128();
        auto step = [&](std::size_t at) {
            const __m128i v = load16(cell.data() + at);
            lowest = _mm_min_epu8(lowest, v);
            high = _mm_or_si128(high, v);
        };
        for (std::size_t i = 0; i + 16 <= cell.size(); i += 16) step(i);
        step(cell.size() - 16);
        if (_mm_movemask_epi8(high)) seen |= not_ascii;
        const __m128i floor = _mm_set1_epi8('-');
        // all bytes >= '-' exactly when max(lowest, '-') == lowest in every lane
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(lowest, floor), lowest)) != 0xFFFF && has_specials(cell))
            seen |= needs_quotes;
        return seen;
    }
#endif
    for (char c : cell) seen |= byte_kinds[static_cast<unsigned char>(c)];
    return seen;
}

// Each quote doubled, the runs between quotes copied whole.
char* put_quotes_doubled(char* w, std::string_view cell) noexcept {
    for (std::size_t q = cell.find('"'); q != std::string_view::npos; q = cell.find('"')) {
        w = put(w, cell.substr(0, q + 1));
        *w++ = '"';
        cell.remove_prefix(q + 1);
    }
    return put(w, cell);
}

// The report is always UTF-8: a byte that starts no UTF-8 sequence is
// written as U+FFFD (which holds no quote), quotes doubled as ever.
char* put_replaced(char* w, std::string_view cell) noexcept {
    while (!cell.empty()) {
        const std::size_t n = text::utf8_sequence_length(cell);
        if (n == 0) {
            w = put(w, "\xEF\xBF\xBD");
            cell.remove_prefix(1);
            continue;
        }
        if (cell.front() == '"') *w++ = '"';
        w = put(w, cell.substr(0, n));
        cell.remove_prefix(n);
    }
    return w;
}

}  // namespace

bool cell_is_plain(std::string_view cell) noexcept {
    if (looks_like_formula(cell)) return false;
    const unsigned char kinds = kinds_in(cell);
    return kinds == 0 || (kinds == not_ascii && text::is_valid_utf8(cell));
}

char* write_cell(char* w, std::string_view cell) noexcept {
    const unsigned char kinds = kinds_in(cell);
    const bool replace = (kinds & not_ascii) && !text::is_valid_utf8(cell);
    // U+FFFD is no formula prefix and no delimiter: the cell's own bytes decide
    const bool formula = looks_like_formula(cell);
    if (!formula && !(kinds & needs_quotes)) return replace ? put_replaced(w, cell) : put(w, cell);
    *w++ = '"';
    if (formula) *w++ = '\'';
    w = replace ? put_replaced(w, cell) : put_quotes_doubled(w, cell);
    *w++ = '"';
    return w;
}

}  // namespace prospect::report
