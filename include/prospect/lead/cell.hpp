// What "surrounding white space is ignored" means for every lead cell, and
// the copy of a cell kept past its record.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect::lead {

// `s` without leading and trailing white space: ASCII white space, the
// Unicode spaces (U+00A0 no-break, U+2000-U+200A, U+202F, U+205F, U+3000)
// and the invisible characters that copying from web pages brings along
// (U+200B zero-width space, U+200E/U+200F direction marks, U+2060 word
// joiner, U+FEFF byte order mark). Kept inside a cell, they would end up
// percent-encoded in a slug and silently denote another profile.
std::string_view trim_cell(std::string_view s) noexcept;

// trim_cell, with the usual cells (empty, or printable ASCII at both ends:
// nothing to trim) settled without a call.
inline std::string_view trim_cell_inline(std::string_view s) noexcept {
    auto plain = [](char c) { return static_cast<unsigned char>(c - 0x21) < 0x5F; };
    if (s.empty() || (plain(s.front()) && plain(s.back()))) return s;
    return trim_cell(s);
}

// to = cell, to's capacity reused: what string::assign does, at about half
// its cost for the usual URL cell (20-80 bytes; no _M_replace, no memcpy
// call). Resized (a shrink, or a few bytes' growth), then copied 16 bytes a
// step within the cell, the last step overlapping. Inline: a call costs a
// fair share of the copy.
inline void assign_cell(std::string& to, std::string_view cell) {
    const std::size_t n = cell.size();
    to.resize(n);
#if defined(__SSE2__)
    if (n >= 16) {
        auto step = [&](std::size_t at) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(to.data() + at),
                             _mm_loadu_si128(reinterpret_cast<const __m128i*>(cell.data() + at)));
        };
        for (std::size_t at = 0; at + 16 < n; at += 16) step(at);
        step(n - 16);
        return;
    }
#endif
    if (n != 0) std::memcpy(to.data(), cell.data(), n);  // an empty cell's data() may be null
}

}  // namespace prospect::lead
