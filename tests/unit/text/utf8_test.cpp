#include "prospect/text/utf8.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>

using prospect::text::is_valid_utf8;
using prospect::text::utf8_sequence_length;

TEST_CASE("well-formed UTF-8 is accepted") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("j\xC3\xB6rg"));
    CHECK(is_valid_utf8("\xE2\x82\xAC"));      // euro sign
    CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));  // emoji
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST_CASE("ill-formed UTF-8 is refused") {
    CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("\x80"));
    CHECK_FALSE(is_valid_utf8("\xE9t\xE9"));         // Windows-1252 "été"
}

namespace {

// The reference: one sequence at a time by utf8_sequence_length.
bool walk(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_sequence_length(s.substr(i));
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace

// The eight-byte ASCII steps must not skip a bad byte wherever it falls.
TEST_CASE("is_valid_utf8 agrees with a byte-by-byte walk at every offset") {
    const std::string pieces[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC3", "\x80", "\xED\xA0\x80"};
    std::uint32_t state = 1;
    for (int round = 0; round < 3000; ++round) {
        std::string s;
        const int length = round % 40;
        for (int k = 0; k < length; ++k) {
            state = state * 1103515245u + 12345u;
            // mostly ASCII, now and then a multi-byte or a broken sequence
            const std::uint32_t pick = (state >> 16) % 120;
            s += pick < 7 ? pieces[pick] : std::string(1, static_cast<char>('a' + pick % 26));
        }
        CAPTURE(s);
        CHECK(is_valid_utf8(s) == walk(s));
    }
}

// The two-byte sequences taken inline and the overlapping last step: each
// lead byte with each second byte, at every offset of strings up to 24
// bytes, each in a heap block of its own size (a sanitized build catches a
// load past it).
TEST_CASE("is_valid_utf8 agrees with a byte-by-byte walk on every two-byte pair at every offset") {
    const unsigned char firsts[] = {0xC0, 0xC1, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xF0, 0xF4, 0x80, 0xBF, 0xFF};
    const unsigned char seconds[] = {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC3};
    int valid = 0;
    for (std::size_t size = 1; size <= 24; ++size)
        for (std::size_t at = 0; at < size; ++at)
            for (unsigned char a : firsts)
                for (unsigned char b : seconds)
                    for (bool tail_valid : {false, true}) {
                        std::string s(size, 'x');
                        s[at] = static_cast<char>(a);
                        if (at + 1 < size) s[at + 1] = static_cast<char>(b);
                        // a third and fourth byte when they fit, to complete longer sequences now and then
                        if (tail_valid && at + 3 < size) s[at + 2] = s[at + 3] = '\x80';
                        auto block = std::make_unique<char[]>(size);
                        std::copy(s.begin(), s.end(), block.get());
                        const std::string_view exact(block.get(), size);
                        CAPTURE(size);
                        CAPTURE(at);
                        CAPTURE(static_cast<int>(a));
                        CAPTURE(static_cast<int>(b));
                        const bool expected = walk(exact);
                        valid += expected;
                        CHECK(is_valid_utf8(exact) == expected);
                    }
    CHECK(valid > 1000);  // the pairs reach valid strings, not only refusals
}
