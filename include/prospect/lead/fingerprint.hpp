// 128-bit fingerprints of de-duplication keys: MurmurHash3 x64_128 (Austin
// Appleby, public domain, smhasher's MurmurHash3.cpp), written out here so
// that no package is needed. Fast and well mixed, not cryptographic.
#pragma once

#include <cstdint>
#include <string_view>

namespace prospect::lead {

struct fingerprint {
    std::uint64_t h1 = 0;  // out[0] of the reference implementation
    std::uint64_t h2 = 0;  // out[1]
    friend bool operator==(const fingerprint&, const fingerprint&) = default;
};

// Same result as the reference MurmurHash3_x64_128(data, len, seed, out) on a
// little-endian machine, on every platform.
fingerprint murmur3_x64_128(std::string_view data, std::uint32_t seed = 0) noexcept;

}  // namespace prospect::lead
