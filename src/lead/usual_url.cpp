// The fast path of normalize_profile_url: the forms nearly every file holds,
// read with fixed-offset compares and one SSE2 pass over the slug; anything
// else (ports, escapes, other paths, errors) goes to the general parser.
#include "prospect/lead/url_paths.hpp"

#include "url_bytes.hpp"

#include "prospect/text/ascii.hpp"
#include "prospect/text/utf8.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace prospect::lead {

#if defined(__SSE2__)

namespace {

using url_bytes::canonical_prefix;

// True when the n (<= 16) bytes at s[at] are `lower` but for the case of
// letters. OR-ing 0x20 folds A-Z onto a-z and maps no other byte of a cell
// without control bytes onto a letter, '.', '/' or ':' (only 0x0E, 0x0F and
// 0x1A would), so callers check has_bad_character first.
bool folded_equal(std::string_view s, std::size_t at, std::string_view lower) noexcept {
    const std::size_t n = lower.size();
    if (at + n > s.size()) return false;
    auto word = [](const char* p, std::size_t k) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, k);
        return w;
    };
    const std::size_t head = n < 8 ? n : 8;
    const std::uint64_t fold = 0x2020202020202020ull;
    if ((word(s.data() + at, head) | (fold >> (64 - 8 * head))) != word(lower.data(), head)) return false;
    if (n <= 8) return true;
    return (word(s.data() + at + n - 8, 8) | fold) == word(lower.data() + n - 8, 8);
}

// Where the host ends if it is linkedin.com or one label under it, followed
// by "/in/", or 0.
std::size_t after_host(std::string_view s, std::size_t at) noexcept {
    if (folded_equal(s, at, "linkedin.com/in/")) return at + 16;
    auto in_label = [](char c) {  // a-z A-Z 0-9 -, as the general parser's is_host_label
        const auto b = static_cast<unsigned char>(c);
        return static_cast<unsigned char>((b | 0x20) - 'a') < 26 || static_cast<unsigned char>(b - '0') < 10 || b == '-';
    };
    std::size_t dot = at;
    if (folded_equal(s, at, "www."))
        dot += 3;
    else
        while (dot < s.size() && in_label(s[dot])) ++dot;
    if (dot == at || dot == s.size() || s[dot] != '.') return 0;
    return folded_equal(s, dot + 1, "linkedin.com/in/") ? dot + 17 : 0;
}

struct slug_scan {
    std::size_t size = 0;
    std::uint64_t not_literal = 0;  // bit i: slug byte i is to be percent-encoded
    bool ok = false;                // false: a '%' or over 64 bytes, for the general parser
};

// The slug from s[at]: up to '/', '?', '#' or the end, 16 bytes a step, the
// last step overlapping (s has 16 bytes or more). '%' ends it too, to hand
// the cell over. Literal: a-z A-Z 0-9 - . _ ~ (url_bytes::literal).
slug_scan scan_slug(std::string_view s, std::size_t at) noexcept {
    auto set = [](char c) { return _mm_set1_epi8(c); };
    slug_scan r;
    for (std::size_t pos = at;;) {
        const std::size_t load = pos + 16 <= s.size() ? pos : s.size() - 16;
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + load));
        const __m128i ends = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, set('/')), _mm_cmpeq_epi8(v, set('?'))),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, set('#')), _mm_cmpeq_epi8(v, set('%'))));
        const __m128i folded = _mm_or_si128(v, set(0x20));  // signed compares: bytes >= 0x80 are below all
        const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, set('a' - 1)), _mm_cmplt_epi8(folded, set('z' + 1)));
        const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, set('0' - 1)), _mm_cmplt_epi8(v, set('9' + 1)));
        const __m128i mark = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, set('-')), _mm_cmpeq_epi8(v, set('.'))),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, set('_')), _mm_cmpeq_epi8(v, set('~'))));
        const __m128i lit = _mm_or_si128(_mm_or_si128(letter, digit), mark);
        const unsigned skip = static_cast<unsigned>(pos - load);  // bytes before pos in an overlapping step
        std::uint32_t stop = static_cast<std::uint32_t>(_mm_movemask_epi8(ends)) >> skip;
        const std::uint32_t other = (~static_cast<std::uint32_t>(_mm_movemask_epi8(lit)) & 0xFFFFu) >> skip;
        const std::size_t got = 16 - skip;
        if (load + 16 == s.size()) stop |= std::uint32_t{1} << got;  // the cell's end ends the slug
        const std::size_t offset = pos - at;
        if (stop != 0) {
            const auto n = static_cast<std::size_t>(std::countr_zero(stop));
            r.size = offset + n;
            if (r.size > 64 || (n < got && s[pos + n] == '%')) return r;
            if (n != 0) r.not_literal |= static_cast<std::uint64_t>(other & ((std::uint32_t{1} << n) - 1)) << offset;
            r.ok = true;
            return r;
        }
        if (offset + got > 64) return r;
        r.not_literal |= static_cast<std::uint64_t>(other) << offset;
        pos += got;
    }
}

// Copies the slug s[at, at + n) to w, A-Z folded unless `keep_case`, 16
// bytes a step from the cell, the last step overlapping. A slug under 16
// bytes goes with the cell bytes before it (the cell has 16 before its slug:
// "linkedin.com/in/"), which land in the 16 - n bytes before w: the caller
// writes the prefix there afterwards.
void copy_folded(std::string_view s, std::size_t at, std::size_t n, char* w, bool keep_case) noexcept {
    const __m128i case_bit = keep_case ? _mm_setzero_si128() : _mm_set1_epi8(0x20);
    auto step = [&](std::ptrdiff_t i) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at + i));
        const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w + i), _mm_or_si128(v, _mm_and_si128(upper, case_bit)));
    };
    const auto size = static_cast<std::ptrdiff_t>(n);
    for (std::ptrdiff_t i = 0; i + 16 < size; i += 16) step(i);
    step(size - 16);
}

// Writes the slug s[at, at + n), which holds bytes to escape (bit i of
// `escapes`: byte i), at w: literal runs 16 bytes a step from a folded copy
// padded for those steps, escapes as %XX, checking as it goes that the
// slug is UTF-8 (else false: the general parser's not_utf8_text). The runs'
// last steps write up to 16 bytes past the slug's end: w has that room.
bool encode_slug(std::string_view s, std::size_t at, std::size_t n, std::uint64_t escapes, bool keep_case,
                 char* w) noexcept {
    char copy[16 + 64 + 16] = {};  // room before (copy_folded) and after (the runs' steps)
    const char* folded = copy + 16;
    copy_folded(s, at, n, copy + 16, keep_case);
    auto run = [&](std::size_t from, std::size_t to) {
        for (std::size_t k = from; k < to; k += 16)
            _mm_storeu_si128(reinterpret_cast<__m128i*>(w + (k - from)),
                             _mm_loadu_si128(reinterpret_cast<const __m128i*>(folded + k)));
        w += to - from;
    };
    std::size_t i = 0;
    while (escapes != 0) {
        const auto e = static_cast<std::size_t>(std::countr_zero(escapes));
        run(i, e);
        const auto lead = static_cast<unsigned char>(folded[e]);  // folding left it as it was
        std::size_t length = 1;
        if (lead >= 0x80) {
            // two-byte sequences (Latin letters) inline, the rest by the book
            if (lead >= 0xC2 && lead <= 0xDF && e + 1 < n && (static_cast<unsigned char>(folded[e + 1]) & 0xC0) == 0x80)
                length = 2;
            else if ((length = text::utf8_sequence_length(s.substr(at + e, n - e))) == 0)
                return false;
        }
        for (i = e; i < e + length; ++i, w += 3) {
            const auto b = static_cast<unsigned char>(folded[i]);
            w[0] = '%';
            w[1] = url_bytes::hex_digits[b >> 4];
            w[2] = url_bytes::hex_digits[b & 0xF];
        }
        escapes = i < 64 ? escapes & ~((std::uint64_t{1} << i) - 1) : 0;
    }
    run(i, n);
    return true;
}

}  // namespace

bool normalize_usual_url(std::string_view s, std::string& out) {
    if (s.size() < 16 || url_bytes::has_bad_character(s)) return false;
    std::size_t at = folded_equal(s, 0, "https://") ? 8 : folded_equal(s, 0, "http://") ? 7 : 0;
    if ((at = after_host(s, at)) == 0) return false;
    const slug_scan slug = scan_slug(s, at);
    if (!slug.ok || slug.size == 0) return false;
    const std::string_view raw = s.substr(at, slug.size);
    if (raw == "." || raw == "..") return false;
    const bool member_id = raw.starts_with(url_bytes::member_id_prefix);
    // `out` is overwritten whole, so growing it from its last size (not from
    // empty) spares clearing the bytes that are about to be written.
    // Most slugs escape nothing; built for any x86-64, std::popcount is a
    // libgcc call of about twenty instructions.
    const auto escaped = slug.not_literal == 0 ? std::size_t{0} : static_cast<std::size_t>(std::popcount(slug.not_literal));
    const std::size_t size = canonical_prefix.size() + raw.size() + 2 * escaped;
    if (escaped == 0) {
        out.resize(size);
        copy_folded(s, at, raw.size(), out.data() + canonical_prefix.size(), member_id);
    } else {
        out.resize(size + 16);  // encode_slug's room
        if (!encode_slug(s, at, raw.size(), slug.not_literal, member_id, out.data() + canonical_prefix.size()))
            return false;
        out.resize(size);
    }
    std::memcpy(out.data(), canonical_prefix.data(), canonical_prefix.size());
    return true;
}

#else

// Without SSE2 every cell takes the general parser.
bool normalize_usual_url(std::string_view, std::string&) { return false; }

#endif

}  // namespace prospect::lead
