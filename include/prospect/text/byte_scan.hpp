// Finding the first of a few given bytes, eight bytes a step: the CSV
// reader's framing looks for five byte values in every input byte, where
// std::string_view::find_first_of calls memchr once per byte of the input.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace prospect::text {

template <std::size_t n>
class byte_set {
public:
    constexpr explicit byte_set(const std::array<char, n>& bytes) noexcept {
        for (std::size_t k = 0; k < n; ++k) spread_[k] = ones * static_cast<unsigned char>(bytes[k]);
    }

    // Index of the first byte in [at, end) of `b` that is in the set, or
    // `end`. A word is tested with the classic "has a zero byte" expression,
    // whose lowest flagged byte is always exact (a borrow only flags bytes
    // above a real zero), and the lowest byte is the first one in memory on
    // the little-endian machines we build for; the tail goes byte by byte.
    std::size_t find(const char* b, std::size_t at, std::size_t end) const noexcept {
        static_assert(std::endian::native == std::endian::little, "the first flagged byte is the lowest one");
        for (; at + 8 <= end; at += 8) {
            std::uint64_t w;
            std::memcpy(&w, b + at, 8);
            if (std::uint64_t hit = flags(w, std::make_index_sequence<n>{}))
                return at + static_cast<std::size_t>(std::countr_zero(hit) / 8);
        }
        for (; at < end; ++at)
            if (flags(ones * static_cast<unsigned char>(b[at]), std::make_index_sequence<n>{})) return at;
        return end;
    }

private:
    static constexpr std::uint64_t ones = 0x0101010101010101ull;
    static constexpr std::uint64_t highs = 0x8080808080808080ull;

    // The high bit of each byte of `w` equal to a byte of the set (and
    // perhaps of bytes after it); spelled out for each k so that the
    // compiler keeps the n words in registers.
    template <std::size_t... k>
    std::uint64_t flags(std::uint64_t w, std::index_sequence<k...>) const noexcept {
        return ((((w ^ spread_[k]) - ones) & ~(w ^ spread_[k])) | ...) & highs;
    }

    std::array<std::uint64_t, n> spread_{};
};

}  // namespace prospect::text
