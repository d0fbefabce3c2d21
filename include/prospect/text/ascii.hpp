// ASCII case folding, one copy for every layer: URL schemes and hosts, path
// words, flag spellings, HTTP date names, header aliases. Only A-Z fold;
// other bytes, UTF-8 ones included, compare as they are.
#pragma once

#include <cstddef>
#include <string_view>

namespace prospect::text {

// Without a branch: the compares on the URL path fold every byte they look at.
constexpr char ascii_lower(char c) noexcept {
    return static_cast<char>(c | (static_cast<unsigned char>(c - 'A') < 26 ? 0x20 : 0));
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    if (a == b) return true;  // the usual case, one memcmp instead of a fold a byte
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i])) return false;  // equal bytes: no fold
    return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

constexpr bool iends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

constexpr bool icontains(std::string_view s, std::string_view needle) noexcept {
    for (std::size_t i = 0; i + needle.size() <= s.size(); ++i)
        if (iequals(s.substr(i, needle.size()), needle)) return true;
    return false;
}

}  // namespace prospect::text
