#include "prospect/text/byte_scan.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>

using prospect::text::byte_set;

namespace {

std::size_t naive(std::string_view s, std::size_t at, std::string_view stops) {
    for (; at < s.size(); ++at)
        if (stops.find(s[at]) != std::string_view::npos) return at;
    return s.size();
}

std::size_t scan(std::string_view s, std::size_t at) {
    return byte_set<4>({',', '"', '\r', '\n'}).find(s.data(), at, s.size());
}

}  // namespace

TEST_CASE("a byte set finds each stop at every offset, in words and in the tail") {
    for (char stop : {',', '"', '\r', '\n'}) {
        for (std::size_t len = 1; len <= 24; ++len) {
            for (std::size_t pos = 0; pos < len; ++pos) {
                std::string s(len, 'a');
                s[pos] = stop;
                CAPTURE(len);
                CAPTURE(pos);
                CHECK(scan(s, 0) == pos);
                CHECK(scan(s, pos) == pos);
                CHECK(scan(s, pos + 1) == len);
            }
        }
    }
}

TEST_CASE("a byte set gives the end when no stop is there, and for an empty range") {
    CHECK(scan("", 0) == 0);
    CHECK(scan("abc", 3) == 3);
    CHECK(scan(std::string(100, 'x'), 0) == 100);
    CHECK(scan(std::string(100, 'x'), 37) == 100);
}

TEST_CASE("a byte set returns the first stop when a word holds several") {
    CHECK(scan("abc\n,\"\r", 0) == 3);
    CHECK(scan("\"\"\"\"\"\"\"\"\"", 0) == 0);
    CHECK(scan("xxxxxxxxxxxxx,\n", 2) == 13);
}

TEST_CASE("a byte set agrees with a byte-by-byte scan on every byte value") {
    // Neighbours of the stops and high bytes are where a word test could flag wrongly.
    for (int b = 0; b < 256; ++b) {
        for (std::size_t pos = 0; pos < 17; ++pos) {
            std::string s(17, static_cast<char>(b ^ 1));
            s[pos] = static_cast<char>(b);
            s += "tail,";
            CAPTURE(b);
            CAPTURE(pos);
            CHECK(scan(s, 0) == naive(s, 0, ",\"\r\n"));
            CHECK(byte_set<5>({'"', '\n', '\r', '\0', ';'}).find(s.data(), 0, s.size()) ==
                  naive(s, 0, std::string_view("\"\n\r\0;", 5)));
            CHECK(byte_set<1>({'\t'}).find(s.data(), 1, s.size()) == naive(s, 1, "\t"));
        }
    }
}
