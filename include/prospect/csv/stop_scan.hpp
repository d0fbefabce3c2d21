// Where framing must look in a block of 64 input bytes: the delimiters, the
// quotes, and the line breaks and NULs, as one bit a byte. Three ways to compute it
// (AVX2, SSE2, portable words), picked once at run time by what the CPU has;
// all three give the same mask, which the tests check.
#pragma once

#include <cstdint>
#include <string_view>

namespace prospect::csv {

// Bit i of `delimiters` set: p[i] is `delimiter`; of `quotes`: p[i] is '"';
// of `breaks`: p[i] is '\n', '\r' or '\0'.
struct stop_bits {
    std::uint64_t delimiters = 0;
    std::uint64_t quotes = 0;
    std::uint64_t breaks = 0;
    friend bool operator==(const stop_bits&, const stop_bits&) = default;
};

// p must have 64 readable bytes.
using stop_mask_fn = stop_bits (*)(const char* p, char delimiter) noexcept;

enum class scan_kind : unsigned char { portable, sse2, avx2 };

// The widest kind this CPU runs (sse2 at least on x86-64).
scan_kind best_scan_kind() noexcept;
// The kind's function (framing inlines the same masks into its loops; this
// is how the tests hold each one to a byte-by-byte reference); AVX2 on a CPU
// without it gives SSE2's, and off x86-64 every kind gives the portable one.
stop_mask_fn stop_mask_for(scan_kind kind) noexcept;
std::string_view to_string(scan_kind kind) noexcept;

}  // namespace prospect::csv
