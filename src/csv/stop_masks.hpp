// The stop masks of include/prospect/csv/stop_scan.hpp and the quote
// parity, inline so that record_scan.cpp's block loops take them without a
// call per block. AVX2 and PCLMUL code carries a target attribute, not a
// build-wide flag, so that one binary runs on every x86-64 CPU.
#pragma once

#include "prospect/csv/stop_scan.hpp"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace prospect::csv::masks {

inline constexpr std::uint64_t ones = 0x0101010101010101ull;

// The high bit of each byte of `w` that is zero, exactly (no borrow from a
// lower byte can reach it, unlike the shorter "has a zero byte" form).
constexpr std::uint64_t zero_bytes(std::uint64_t w) noexcept {
    constexpr std::uint64_t lows = 0x7F7F7F7F7F7F7F7Full, highs = 0x8080808080808080ull;
    return ~(((w & lows) + lows) | w) & highs;
}

// Eight flag bits (one a byte, high bits of `flags`) gathered into the low byte.
constexpr std::uint64_t gather(std::uint64_t flags) noexcept { return ((flags >> 7) * 0x0102040810204080ull) >> 56; }

inline stop_bits portable(const char* p, char delimiter) noexcept {
    const std::uint64_t d = ones * static_cast<unsigned char>(delimiter);
    stop_bits bits;
    for (int k = 0; k < 8; ++k) {
        std::uint64_t w;
        std::memcpy(&w, p + 8 * k, 8);
        const std::uint64_t breaks = zero_bytes(w ^ (ones * '\n')) | zero_bytes(w ^ (ones * '\r')) | zero_bytes(w);
        bits.delimiters |= gather(zero_bytes(w ^ d)) << (8 * k);
        bits.quotes |= gather(zero_bytes(w ^ (ones * '"'))) << (8 * k);
        bits.breaks |= gather(breaks) << (8 * k);
    }
    return bits;
}

// Bit i set: an odd number of bits of `x` at or below i (before: quotes, after: inside them).
constexpr std::uint64_t prefix_xor(std::uint64_t x) noexcept {
    for (int shift = 1; shift < 64; shift *= 2) x ^= x << shift;
    return x;
}

#if defined(__x86_64__)

inline std::uint64_t bits16(__m128i hits) noexcept {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hits)) & 0xFFFFu);
}

inline stop_bits sse2(const char* p, char delimiter) noexcept {
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const __m128i nul = _mm_setzero_si128(), delim = _mm_set1_epi8(delimiter);
    stop_bits bits;
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i breaks =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, nul));
        bits.delimiters |= bits16(_mm_cmpeq_epi8(v, delim)) << (16 * k);
        bits.quotes |= bits16(_mm_cmpeq_epi8(v, quote)) << (16 * k);
        bits.breaks |= bits16(breaks) << (16 * k);
    }
    return bits;
}

// 64 bits from the byte flags of two 32-byte halves; a helper of its own,
// since a lambda would not inherit the target attribute.
__attribute__((target("avx2"))) inline std::uint64_t avx2_bits(__m256i low, __m256i high) noexcept {
    return std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(low))} |
           std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(high))} << 32;
}

// Line breaks and NULs by one table look-up: each byte indexes a table by
// its low four bits (a byte with its high bit set gets 0), and only '\0',
// '\n' and '\r' find themselves there.
__attribute__((target("avx2"))) inline __m256i avx2_breaks(__m256i v) noexcept {
    const __m256i table = _mm256_setr_epi8(0, -1, -1, -1, -1, -1, -1, -1, -1, -1, '\n', -1, -1, '\r', -1, -1, 0, -1, -1,
                                           -1, -1, -1, -1, -1, -1, -1, '\n', -1, -1, '\r', -1, -1);
    return _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, v), v);
}

__attribute__((target("avx2"))) inline stop_bits avx2(const char* p, char delimiter) noexcept {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    const __m256i quote = _mm256_set1_epi8('"'), delim = _mm256_set1_epi8(delimiter);
    return {avx2_bits(_mm256_cmpeq_epi8(lo, delim), _mm256_cmpeq_epi8(hi, delim)),
            avx2_bits(_mm256_cmpeq_epi8(lo, quote), _mm256_cmpeq_epi8(hi, quote)),
            avx2_bits(avx2_breaks(lo), avx2_breaks(hi))};
}

// prefix_xor in one carry-less multiplication by all ones.
__attribute__((target("pclmul"))) inline std::uint64_t clmul_prefix_xor(std::uint64_t x) noexcept {
    const __m128i product = _mm_clmulepi64_si128(_mm_cvtsi64_si128(static_cast<long long>(x)), _mm_set1_epi8(-1), 0);
    return static_cast<std::uint64_t>(_mm_cvtsi128_si64(product));
}

#endif

}  // namespace prospect::csv::masks
