#include "prospect/text/ascii.hpp"

#include <doctest/doctest.h>

using namespace prospect::text;

TEST_CASE("only A-Z fold, every other byte stays itself") {
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        const char want = b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : c;
        CHECK(ascii_lower(c) == want);
    }
}

TEST_CASE("iequals folds both sides and compares lengths") {
    CHECK(iequals("HTTPS", "https"));
    CHECK(iequals("https", "HttpS"));
    CHECK(iequals("", ""));
    CHECK_FALSE(iequals("http", "https"));
    CHECK_FALSE(iequals("in", "im"));
    CHECK_FALSE(iequals("[", "{"));            // 0x5B and 0x7B differ by 32 but are not letters
    CHECK_FALSE(iequals("J\xC3\xB6rg", "J\xC3\x96rg"));  // o and O umlaut: UTF-8 is not folded
    static_assert(iequals("Mon", "MON"));
}

TEST_CASE("prefix, suffix and substring without regard to case") {
    CHECK(istarts_with("MailTo:jane@example.com", "mailto:"));
    CHECK_FALSE(istarts_with("mail", "mailto:"));
    CHECK(iends_with("WWW.LinkedIn.COM", "linkedin.com"));
    CHECK_FALSE(iends_with("com", "linkedin.com"));
    CHECK(icontains("my-LINKEDIN-clone.example", "linkedin"));
    CHECK(icontains("anything", ""));
    CHECK_FALSE(icontains("linkedi", "linkedin"));
}
