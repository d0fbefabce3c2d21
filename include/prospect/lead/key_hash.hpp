// The de-duplication key's 64-bit hash: wyhash's multiply-mix (Wang Yi,
// public domain), written out here so that no package is needed. Each part
// of the key is hashed with the hash of the parts before it as its seed, so
// the parts are never copied into one buffer and a part that repeats row
// after row (the campaign and list ids) is hashed once.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace prospect::lead {

namespace key_hash_detail {

constexpr std::uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL;

// The 128-bit product of a and b folded to 64 bits: every input bit moves
// about half the output bits.
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
    const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

// Host byte order: the hash lives in memory only, never in a file.
inline std::uint64_t load8(const unsigned char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
inline std::uint64_t load4(const unsigned char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

}  // namespace key_hash_detail

// wyhash (final version 4) with one lane: 16 bytes a step, the last 16
// (or all of a shorter part, read without reaching past it) mixed with
// the length. Different parts or seeds give hashes that agree with
// probability about 2^-64; like MurmurHash3 it does not resist collisions
// crafted on purpose.
inline std::uint64_t key_hash(std::string_view part, std::uint64_t seed) noexcept {
    using namespace key_hash_detail;
    const auto* p = reinterpret_cast<const unsigned char*>(part.data());
    const std::size_t n = part.size();
    seed ^= mix(seed ^ k0, k1);
    std::uint64_t a = 0, b = 0;
    if (n <= 16) {
        if (n >= 4) {
            const std::size_t step = (n >> 3) << 2;  // 0 or 4: the two halves overlap when n < 8
            a = (load4(p) << 32) | load4(p + step);
            b = (load4(p + n - 4) << 32) | load4(p + n - 4 - step);
        } else if (n > 0) {
            a = (std::uint64_t{p[0]} << 16) | (std::uint64_t{p[n >> 1]} << 8) | p[n - 1];
        }
    } else {
        std::size_t i = n;
        for (; i > 16; i -= 16, p += 16) seed = mix(load8(p) ^ k1, load8(p + 8) ^ seed);
        a = load8(p + i - 16);
        b = load8(p + i - 8);
    }
    const unsigned __int128 r = static_cast<unsigned __int128>(a ^ k1) * (b ^ seed);
    return mix(static_cast<std::uint64_t>(r) ^ k0 ^ n, static_cast<std::uint64_t>(r >> 64) ^ k1);
}

}  // namespace prospect::lead
