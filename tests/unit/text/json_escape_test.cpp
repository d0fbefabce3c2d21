#include "prospect/text/json_escape.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

using prospect::text::append_json_string;

namespace {
std::string escaped(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}
}  // namespace

TEST_CASE("plain ASCII is quoted unchanged") {
    CHECK(escaped("https://www.linkedin.com/in/jane") == "\"https://www.linkedin.com/in/jane\"");
    CHECK(escaped("") == "\"\"");
}

TEST_CASE("quotes, backslashes and control characters are escaped") {
    CHECK(escaped("a\"b\\c") == R"("a\"b\\c")");
    CHECK(escaped("l1\nl2\r\t") == R"("l1\nl2\r\t")");
    CHECK(escaped(std::string_view("\0\x1f", 2)) == R"("\u0000\u001f")");
}

TEST_CASE("valid UTF-8 passes through, invalid bytes become U+FFFD") {
    CHECK(escaped("j\xC3\xB6rg") == "\"j\xC3\xB6rg\"");
    CHECK(escaped("a\xFF" "b") == R"("a\ufffdb")");
    CHECK(escaped("\xC3") == R"("\ufffd")");
    CHECK(escaped("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");  // a surrogate
}

TEST_CASE("every output parses back with Boost.JSON to the input, for valid UTF-8") {
    const char* samples[] = {"", "x", "\"\"", "\\", "tab\there", "\x01\x02\x7f", "caf\xC3\xA9",
                             "\xF0\x9F\x98\x80 emoji", "</script>", "a,b;c\td"};
    for (const char* s : samples) {
        auto parsed = boost::json::parse(escaped(s));
        REQUIRE(parsed.is_string());
        CHECK(std::string(parsed.as_string()) == s);
    }
    // All single bytes below 0x80 and all two-byte strings of them.
    for (int a = 0; a < 0x80; ++a) {
        std::string s(1, static_cast<char>(a));
        CHECK(std::string(boost::json::parse(escaped(s)).as_string()) == s);
    }
}

TEST_CASE("each single byte is kept, escaped or replaced, and the text around it is kept whole") {
    auto expected = [](int b) -> std::string {
        const char c = static_cast<char>(b);
        if (b >= 0x80) return "\\ufffd";  // alone, never valid UTF-8
        if (c == '"' || c == '\\') return std::string("\\") + c;
        if (b >= 0x20) return std::string(1, c);
        switch (c) {
        case '\n': return "\\n";
        case '\r': return "\\r";
        case '\t': return "\\t";
        case '\b': return "\\b";
        case '\f': return "\\f";
        default: return std::string("\\u00") + "0123456789abcdef"[b >> 4] + "0123456789abcdef"[b & 0xF];
        }
    };
    for (int b = 0; b < 0x100; ++b) {
        CAPTURE(b);
        CHECK(escaped(std::string("ab") + static_cast<char>(b) + "cd") == "\"ab" + expected(b) + "cd\"");
    }
}

TEST_CASE("long and short strings of mostly plain ASCII: every special byte escaped wherever it falls") {
    // tokens: (bytes in, text out); plain ASCII most often, so runs cross 16-byte steps
    const std::pair<std::string_view, std::string_view> tokens[] = {
        {"a", "a"}, {"Z", "Z"}, {"/", "/"}, {"~", "~"}, {" ", " "}, {"\"", "\\\""}, {"\\", "\\\\"},
        {"\n", "\\n"}, {"\x01", "\\u0001"}, {"\x7f", "\x7f"}, {"\xC3\xA9", "\xC3\xA9"},
        {"\xE2\x82\xAC", "\xE2\x82\xAC"}, {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}, {"\xFF", "\\ufffd"}};
    std::uint64_t state = 42;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>(state >> 33);
    };
    std::size_t wrong = 0;
    for (int n = 0; n < 20'000; ++n) {
        std::string in, out = "\"";
        const std::size_t count = next() % 60;
        for (std::size_t k = 0; k < count; ++k) {
            const auto& [bytes, text] = tokens[next() % 8 == 0 ? next() % std::size(tokens) : next() % 4];
            in += bytes;
            out += text;
        }
        out += '"';
        // in a heap block of its exact size, so that a read past it is an ASan error
        auto exact = std::make_unique<char[]>(in.size());
        std::copy(in.begin(), in.end(), exact.get());
        if (escaped(std::string_view(exact.get(), in.size())) != out) ++wrong;
    }
    CHECK(wrong == 0);
}
