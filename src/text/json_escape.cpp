// Fast path: runs of bytes that need no escaping are appended whole.
#include "prospect/text/json_escape.hpp"

#include "prospect/text/utf8.hpp"

#include <array>

namespace prospect::text {

namespace {

// ASCII bytes that go into a JSON string as they are: one lookup a byte
// instead of four comparisons.
constexpr std::array<bool, 256> plain_ascii = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
    return t;
}();

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t i = 0;
    std::size_t run = 0;
    auto flush = [&] {
        out.append(s.data() + run, i - run);
    };
    while (i < s.size()) {
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
            out.append("\\ufffd");
            run = ++i;
            continue;
        }
        flush();
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
            out.append("\\u00");
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
        run = ++i;
    }
    flush();
    out.push_back('"');
}

}  // namespace prospect::text
