// Fast path: runs of bytes that need no escaping are appended whole, found
// 16 bytes a step where SSE2 is there (every x86-64): a report's cells are
// nearly all plain ASCII, and a byte at a time they cost a JSONL report
// about as much as the rest of a dry run.
#include "prospect/text/json_escape.hpp"

#include "prospect/text/utf8.hpp"

#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect::text {

namespace {

// From `i`, the first byte that is not plain ASCII (below 0x20, '"', '\\'
// or 0x80 and above), or the end. The last step overlaps the one before it,
// or for a string under 16 bytes reads a padded copy, so that no byte is
// looked at alone unless it is special.
std::size_t skip_plain_ascii(std::string_view s, std::size_t i) noexcept {
#if defined(__SSE2__)
    auto special = [](const char* p) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // signed: bytes from 0x80 on are below 0x20 too
        const __m128i below = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
        const __m128i quoting = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(below, quoting)));
    };
    for (; i + 16 <= s.size(); i += 16)
        if (const unsigned mask = special(s.data() + i); mask != 0)
            return i + static_cast<std::size_t>(std::countr_zero(mask));
    if (i == s.size()) return i;
    const std::size_t left = s.size() - i;
    unsigned mask;
    if (s.size() >= 16) {
        mask = special(s.data() + s.size() - 16) >> (16 - left);
    } else {
        char padded[16];
        std::memset(padded, 'a', sizeof padded);
        std::memcpy(padded, s.data() + i, left);
        mask = special(padded) & ((1u << left) - 1);
    }
    return mask == 0 ? s.size() : i + static_cast<std::size_t>(std::countr_zero(mask));
#else
    return i;
#endif
}

// ASCII bytes that go into a JSON string as they are: one lookup a byte
// instead of four comparisons, where SSE2 is missing.
constexpr std::array<bool, 256> plain_ascii = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
    return t;
}();

}  // namespace

char* write_json_string(char* w, std::string_view s) noexcept {
    static constexpr char hex[] = "0123456789abcdef";
    auto put = [&](std::string_view text) {
        std::memcpy(w, text.data(), text.size());
        w += text.size();
    };
    *w++ = '"';
    std::size_t i = 0;
    std::size_t run = 0;
    auto flush = [&] {
        if (i > run) put(s.substr(run, i - run));
    };
    while (i < s.size()) {
        if ((i = skip_plain_ascii(s, i)) == s.size()) break;
        auto c = static_cast<unsigned char>(s[i]);
        if (plain_ascii[c]) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            std::size_t n = utf8_sequence_length(s.substr(i));
            if (n > 0) {
                i += n;
                continue;
            }
            flush();
            put("\\ufffd");
            run = ++i;
            continue;
        }
        flush();
        switch (c) {
        case '"': put("\\\""); break;
        case '\\': put("\\\\"); break;
        case '\n': put("\\n"); break;
        case '\r': put("\\r"); break;
        case '\t': put("\\t"); break;
        case '\b': put("\\b"); break;
        case '\f': put("\\f"); break;
        default:
            put("\\u00");
            *w++ = hex[c >> 4];
            *w++ = hex[c & 0xF];
        }
        run = ++i;
    }
    flush();
    *w++ = '"';
    return w;
}

void append_json_string(std::string& out, std::string_view s) {
    const std::size_t at = out.size();
    out.resize(at + json_string_bound(s.size()));
    out.resize(static_cast<std::size_t>(write_json_string(out.data() + at, s) - out.data()));
}

}  // namespace prospect::text
