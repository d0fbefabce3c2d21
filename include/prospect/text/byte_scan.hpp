// Finding the first of a few given bytes, eight bytes a step: the hot
// scans of the CSV reader and the report look for 2 to 4 byte values, where
// std::string_view::find_first_of calls memchr once per byte of the input.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace prospect::text {

// Index of the first byte in [at, end) of `b` equal to one of `stops`, or
// `end`. A word is tested with the classic "has a zero byte" expression,
// whose lowest flagged byte is always exact (a borrow only flags bytes above
// a real zero), and the lowest byte is the first one in memory on the
// little-endian machines we build for; the tail goes byte by byte.
template <char... stops>
    requires(sizeof...(stops) > 0)
std::size_t find_first_of_bytes(const char* b, std::size_t at, std::size_t end) noexcept {
    static_assert(std::endian::native == std::endian::little, "the first flagged byte is the lowest one");
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    auto zero_bytes = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    for (; at + 8 <= end; at += 8) {
        std::uint64_t w;
        std::memcpy(&w, b + at, 8);
        std::uint64_t hit = (zero_bytes(w ^ (ones * static_cast<unsigned char>(stops))) | ...);
        if (hit) return at + static_cast<std::size_t>(std::countr_zero(hit) / 8);
    }
    for (; at < end; ++at)
        if (((b[at] == stops) || ...)) return at;
    return end;
}

}  // namespace prospect::text
