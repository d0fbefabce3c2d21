// Table 3-7 of the Unicode standard, byte by byte.
#include "prospect/text/utf8.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace prospect::text {

std::size_t utf8_sequence_length(std::string_view s) noexcept {
    if (s.empty()) return 0;
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char c = b(0);
    if (c < 0x80) return 1;
    auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < s.size() && b(i) >= lo && b(i) <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

// ASCII runs go eight bytes a step, the last step overlapping the one
// before: most cells are ASCII, or ASCII with a few accented letters, whose
// two-byte sequences are taken inline. A step with a byte past ASCII goes
// straight to that byte.
bool is_valid_utf8(std::string_view s) noexcept {
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t size = s.size();
    std::size_t i = 0;
    while (i < size) {
        std::uint64_t w;
        if (i + 8 <= size) {
            std::memcpy(&w, p + i, 8);
            if (!(w & highs)) {
                i += 8;
                continue;
            }
            i += static_cast<std::size_t>(std::countr_zero(w & highs) / 8);
        } else if (size >= 8) {
            // the last eight bytes, those before i shifted out (little-endian: the first byte is the lowest)
            std::memcpy(&w, p + size - 8, 8);
            const std::uint64_t rest = (w & highs) >> (8 * (i - (size - 8)));
            if (!rest) return true;
            i += static_cast<std::size_t>(std::countr_zero(rest) / 8);
        } else if (p[i] < 0x80) {
            ++i;
            continue;
        }
        if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < size && (p[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        const std::size_t n = utf8_sequence_length(s.substr(i));
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace prospect::text
