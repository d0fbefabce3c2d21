#include "prospect/lead/fingerprint.hpp"

#include <doctest/doctest.h>

#include <string>

using prospect::lead::fingerprint;
using prospect::lead::murmur3_x64_128;

TEST_CASE("MurmurHash3 x64_128 matches the reference implementation") {
    // Published known values (Guava's Murmur3Hash128Test, checked there
    // against the C++ reference): seed, h1, h2, input. Together they cover
    // tails of 4-9 bytes and inputs of more than one 16-byte block.
    struct known {
        std::uint32_t seed;
        std::uint64_t h1, h2;
        std::string_view input;
    };
    const known values[] = {
        {0, 0x629942693e10f867ULL, 0x92db0b82baeb5347ULL, "hell"},
        {1, 0xa78ddff5adae8d10ULL, 0x128900ef20900135ULL, "hello"},
        {2, 0x8a486b23f422e826ULL, 0xf962a2c58947765fULL, "hello "},
        {3, 0x2ea59f466f6bed8cULL, 0xc610990acc428a17ULL, "hello w"},
        {4, 0x79f6305a386c572cULL, 0x46305aed3483b94eULL, "hello wo"},
        {5, 0xc2219d213ec1f1b5ULL, 0xa1d8e2e0a52785bdULL, "hello wor"},
        {0, 0xe34bbc7bbc071b6cULL, 0x7a433ca9c49a9347ULL, "The quick brown fox jumps over the lazy dog"},
        {0, 0x658ca970ff85269aULL, 0x43fee3eaa68e5c3eULL, "The quick brown fox jumps over the lazy cog"},
    };
    for (const known& k : values) {
        CAPTURE(k.input);
        CHECK(murmur3_x64_128(k.input, k.seed) == fingerprint{k.h1, k.h2});
    }
    CHECK(murmur3_x64_128("", 0) == fingerprint{0, 0});  // the reference gives zero for empty, seed 0
}

TEST_CASE("every input length up to three blocks hashes distinctly") {
    std::string s;
    fingerprint previous = murmur3_x64_128(s);
    for (int n = 1; n <= 48; ++n) {
        s += 'a';
        fingerprint f = murmur3_x64_128(s);
        CHECK(f != previous);
        CHECK(f == murmur3_x64_128(s));
        previous = f;
    }
}
