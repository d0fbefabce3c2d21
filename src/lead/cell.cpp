// Cell trimming shared by URL, UUID and flag parsing.
#include "prospect/lead/cell.hpp"

#include "prospect/text/utf8.hpp"

namespace prospect::lead {

namespace {

bool is_ascii_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_trimmed_code_point(char32_t cp) noexcept {
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x200E || cp == 0x200F || cp == 0x202F ||
           cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

// The code point of the well-formed 2- or 3-byte sequence `seq`.
char32_t decode(std::string_view seq) noexcept {
    auto b = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(seq[i])); };
    if (seq.size() == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
}

// Length of the trimmable sequence at the start of `s`, or 0.
std::size_t leading_space(std::string_view s) noexcept {
    if (s.empty()) return 0;
    if (is_ascii_space(s.front())) return 1;
    std::size_t n = text::utf8_sequence_length(s);
    return (n == 2 || n == 3) && is_trimmed_code_point(decode(s.substr(0, n))) ? n : 0;
}

// Length of the trimmable sequence at the end of `s`, or 0.
std::size_t trailing_space(std::string_view s) noexcept {
    if (s.empty()) return 0;
    if (is_ascii_space(s.back())) return 1;
    for (std::size_t n : {2, 3}) {
        if (s.size() < n) break;
        std::string_view tail = s.substr(s.size() - n);
        if (text::utf8_sequence_length(tail) == n && is_trimmed_code_point(decode(tail))) return n;
    }
    return 0;
}

}  // namespace

std::string_view trim_cell(std::string_view s) noexcept {
    while (std::size_t n = leading_space(s)) s.remove_prefix(n);
    while (std::size_t n = trailing_space(s)) s.remove_suffix(n);
    return s;
}

}  // namespace prospect::lead
