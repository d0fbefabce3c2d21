// How the csv layer writes headers and counts into messages (private to src/csv).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace prospect::csv {

inline std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// 1234567 -> "1,234,567", as the start-up lines and messages write counts.
inline std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n);
    for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ',');
    return digits;
}

}  // namespace prospect::csv
