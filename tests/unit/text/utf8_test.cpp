#include "prospect/text/utf8.hpp"

#include <doctest/doctest.h>

using prospect::text::is_valid_utf8;

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
