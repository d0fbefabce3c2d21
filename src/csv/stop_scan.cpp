// The stop masks of include/prospect/csv/stop_scan.hpp. AVX2 code is compiled
// with a target attribute, not for the whole build, so that one binary runs
// on every x86-64 CPU and takes AVX2 where __builtin_cpu_supports finds it.
#include "prospect/csv/stop_scan.hpp"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace prospect::csv {
namespace {

constexpr std::uint64_t ones = 0x0101010101010101ull;
constexpr std::uint64_t lows = 0x7F7F7F7F7F7F7F7Full;
constexpr std::uint64_t highs = 0x8080808080808080ull;

// The high bit of each byte of `w` that is zero, exactly (no borrow from a
// lower byte can reach it, unlike the shorter "has a zero byte" form).
constexpr std::uint64_t zero_bytes(std::uint64_t w) noexcept { return ~(((w & lows) + lows) | w) & highs; }

// Eight flag bits (one a byte, high bits of `flags`) gathered into the low byte.
constexpr std::uint64_t gather(std::uint64_t flags) noexcept { return ((flags >> 7) * 0x0102040810204080ull) >> 56; }

stop_bits portable_mask(const char* p, char delimiter) noexcept {
    const std::uint64_t d = ones * static_cast<unsigned char>(delimiter);
    stop_bits bits;
    for (int k = 0; k < 8; ++k) {
        std::uint64_t w;
        std::memcpy(&w, p + 8 * k, 8);
        const std::uint64_t others = zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\n')) |
                                     zero_bytes(w ^ (ones * '\r')) | zero_bytes(w);
        bits.delimiters |= gather(zero_bytes(w ^ d)) << (8 * k);
        bits.others |= gather(others) << (8 * k);
    }
    return bits;
}

#if defined(__x86_64__)

std::uint64_t bits16(__m128i hits) noexcept {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hits)) & 0xFFFFu);
}

stop_bits sse2_mask(const char* p, char delimiter) noexcept {
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const __m128i nul = _mm_setzero_si128(), delim = _mm_set1_epi8(delimiter);
    stop_bits bits;
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i others = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, lf)),
                                            _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, nul)));
        bits.delimiters |= bits16(_mm_cmpeq_epi8(v, delim)) << (16 * k);
        bits.others |= bits16(others) << (16 * k);
    }
    return bits;
}

// 32 bytes' stop bits (delimiters low, others high); a helper of its own,
// since a lambda would not inherit the target attribute.
__attribute__((target("avx2"))) std::uint64_t avx2_half(const char* p, char delimiter) noexcept {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i others = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')), _mm256_cmpeq_epi8(v, _mm256_setzero_si256())));
    const auto delimiters =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(delimiter))));
    return delimiters | (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(others))} << 32);
}

__attribute__((target("avx2"))) stop_bits avx2_mask(const char* p, char delimiter) noexcept {
    const std::uint64_t low = avx2_half(p, delimiter), high = avx2_half(p + 32, delimiter);
    return {(low & 0xFFFFFFFFu) | (high << 32), (low >> 32) | (high & 0xFFFFFFFF00000000u)};
}

#endif

}  // namespace

scan_kind best_scan_kind() noexcept {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? scan_kind::avx2 : scan_kind::sse2;
#else
    return scan_kind::portable;
#endif
}

stop_mask_fn stop_mask_for(scan_kind kind) noexcept {
#if defined(__x86_64__)
    if (kind == scan_kind::avx2 && __builtin_cpu_supports("avx2")) return &avx2_mask;
    if (kind != scan_kind::portable) return &sse2_mask;
#endif
    (void)kind;
    return &portable_mask;
}

std::string_view to_string(scan_kind kind) noexcept {
    switch (kind) {
    case scan_kind::portable: return "portable";
    case scan_kind::sse2: return "sse2";
    case scan_kind::avx2: return "avx2";
    }
    return "portable";
}

}  // namespace prospect::csv
