// CRC-32C (reflected polynomial 0x82F63B78): the SSE4.2 crc32 instruction
// where the CPU has it (~20x the table; loading a large journal is mostly
// checksumming), a byte-at-a-time table elsewhere.
#include "prospect/journal/crc32c.hpp"

#include <array>
#include <cstring>

namespace prospect::journal {

namespace {

constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        t[i] = c;
    }
    return t;
}

constexpr auto table = make_table();

std::uint32_t crc32c_table(std::string_view bytes, std::uint32_t crc) noexcept {
    for (unsigned char b : bytes) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view bytes, std::uint32_t crc) noexcept {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    std::uint64_t c = crc;
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
    }
    auto c32 = static_cast<std::uint32_t>(c);
    for (; n > 0; ++p, --n) c32 = __builtin_ia32_crc32qi(c32, static_cast<unsigned char>(*p));
    return c32;
}

const bool have_sse42 = __builtin_cpu_supports("sse4.2");
#endif

}  // namespace

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) noexcept {
    crc = ~crc;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (have_sse42) return ~crc32c_sse42(bytes, crc);
#endif
    return ~crc32c_table(bytes, crc);
}

}  // namespace prospect::journal
