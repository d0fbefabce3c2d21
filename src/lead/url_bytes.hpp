// What both URL paths (profile_url.cpp, the general one, and usual_url.cpp,
// the fast one) know about bytes: the canonical prefix, the byte classes of
// a slug, and the check for raw white space and control bytes.
#pragma once

#include <array>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect::lead::url_bytes {

inline constexpr std::string_view canonical_prefix = "https://www.linkedin.com/in/";
inline constexpr std::string_view member_id_prefix = "ACoAA";
inline constexpr char hex_digits[] = "0123456789ABCDEF";

// Byte classes, looked up once per byte.
enum byte_class : unsigned char {
    unreserved = 1,  // a-z 0-9 - . _ ~ : literal in a canonical slug
    upper = 2,       // A-Z: literal only in member-id slugs
    not_in_url = 4,  // white space, control bytes, DEL
    literal = 8,     // unreserved or upper: never percent-encoded
};

inline constexpr std::array<unsigned char, 256> byte_classes = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c) t[c] |= unreserved;
    for (int c = '0'; c <= '9'; ++c) t[c] |= unreserved;
    for (unsigned char c : {'-', '.', '_', '~'}) t[c] |= unreserved;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] |= upper;
    for (auto& k : t)
        if (k & (unreserved | upper)) k |= literal;
    for (int c = 0; c <= 0x20; ++c) t[c] |= not_in_url;
    t[0x7F] |= not_in_url;
    return t;
}();

// Raw white space or control bytes anywhere, the query included: a space
// often means two URLs pasted into one cell. No early exit: with SSE2
// (always there on x86-64) 16 bytes a step, the last 16 overlapping; else
// (and for cells under 16 bytes) a table lookup and an OR a byte.
inline bool has_bad_character(std::string_view s) noexcept {
#if defined(__SSE2__)
    if (s.size() >= 16) {
        // bytes <= 0x20 are those max(b, 0x21) changes; DEL is compared as itself
        const __m128i floor = _mm_set1_epi8(0x21), del = _mm_set1_epi8(0x7F);
        auto bad = [&](const char* p) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i ok = _mm_cmpeq_epi8(_mm_max_epu8(v, floor), v);
            return _mm_or_si128(_mm_andnot_si128(ok, _mm_set1_epi8(-1)), _mm_cmpeq_epi8(v, del));
        };
        __m128i seen = bad(s.data() + s.size() - 16);
        for (std::size_t i = 0; i + 16 <= s.size(); i += 16) seen = _mm_or_si128(seen, bad(s.data() + i));
        return _mm_movemask_epi8(seen) != 0;
    }
#endif
    unsigned char seen = 0;
    for (char c : s) seen |= byte_classes[static_cast<unsigned char>(c)];
    return (seen & not_in_url) != 0;
}

}  // namespace prospect::lead::url_bytes
