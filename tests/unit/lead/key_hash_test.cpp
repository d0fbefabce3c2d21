#include "prospect/lead/key_hash.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using prospect::lead::key_hash;

namespace {

// Pairs among `hashes` equal on the bits `mask` keeps.
std::size_t colliding_pairs(std::vector<std::uint64_t> hashes, std::uint64_t mask) {
    for (auto& h : hashes) h &= mask;
    std::sort(hashes.begin(), hashes.end());
    std::size_t pairs = 0, run = 1;
    for (std::size_t i = 1; i <= hashes.size(); ++i) {
        if (i < hashes.size() && hashes[i] == hashes[i - 1]) {
            ++run;
            continue;
        }
        pairs += run * (run - 1) / 2;
        run = 1;
    }
    return pairs;
}

}  // namespace

TEST_CASE("every input bit, of the part or of the seed, flips each output bit about half the time") {
    // A weak hash (no final multiply, a sum of words) leaves some output bits
    // untouched or always flipped by some input bit; a well-mixed one flips
    // each with probability 1/2, here within 0.2 over 256 random keys
    // (6 standard deviations).
    std::mt19937_64 random(7);
    constexpr int keys = 256;
    for (std::size_t length : {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 36, 48, 60}) {
        CAPTURE(length);
        const std::size_t input_bits = 8 * length + 64;  // the part's bits, then the seed's
        std::vector<int> flips(input_bits * 64, 0);
        for (int k = 0; k < keys; ++k) {
            std::string part(length, '\0');
            for (auto& c : part) c = static_cast<char>(random());
            const std::uint64_t seed = random();
            const std::uint64_t h = key_hash(part, seed);
            for (std::size_t bit = 0; bit < input_bits; ++bit) {
                std::string p = part;
                std::uint64_t s = seed;
                if (bit < 8 * length)
                    p[bit / 8] = static_cast<char>(p[bit / 8] ^ (1 << (bit % 8)));
                else
                    s ^= std::uint64_t{1} << (bit - 8 * length);
                const std::uint64_t changed = h ^ key_hash(p, s);
                for (int out = 0; out < 64; ++out) flips[bit * 64 + out] += static_cast<int>((changed >> out) & 1);
            }
        }
        const auto [least, most] = std::minmax_element(flips.begin(), flips.end());
        CHECK(*least >= keys * 3 / 10);
        CHECK(*most <= keys * 7 / 10);
    }
}

TEST_CASE("a million near-identical keys: no 64-bit collision, and 32-bit halves collide as random ones would") {
    // Profile URLs one counter apart, under two campaigns one character apart.
    std::vector<std::uint64_t> hashes;
    const std::uint64_t seeds[] = {key_hash("cf33282b-b171-4d23-ae02-848499d793e4", key_hash("8d256aa6-9b12-49a7-93ee-bf41634b5b60", 0)),
                                   key_hash("cf33282b-b171-4d23-ae02-848499d793e4", key_hash("8d256aa6-9b12-49a7-93ee-bf41634b5b61", 0))};
    for (std::uint64_t seed : seeds)
        for (unsigned i = 0; i < (1u << 19); ++i) {
            char digits[16];
            const int n = std::snprintf(digits, sizeof digits, "%x", i);
            hashes.push_back(key_hash("https://www.linkedin.com/in/jane-doe-" + std::string(digits, static_cast<std::size_t>(n)), seed));
        }
    CHECK(colliding_pairs(hashes, ~std::uint64_t{0}) == 0);
    // 2^20 keys in 2^32 values: 2^39 / 2^32 = 128 colliding pairs expected
    // (standard deviation about 11); a hash that spreads near-identical keys
    // poorly collides far more often in one half.
    for (std::uint64_t half : {0xFFFFFFFF00000000ULL, 0x00000000FFFFFFFFULL, 0x0000FFFFFFFF0000ULL}) {
        const std::size_t pairs = colliding_pairs(hashes, half);
        CAPTURE(half);
        CHECK(pairs >= 64);
        CHECK(pairs <= 256);
    }
}

TEST_CASE("part boundaries and the seed are part of the hash") {
    auto chain = [](std::string_view a, std::string_view b, std::string_view c) {
        return key_hash(c, key_hash(b, key_hash(a, 0)));
    };
    CHECK(chain("ab", "c", "d") != chain("a", "bc", "d"));
    CHECK(chain("a", "bc", "d") != chain("a", "b", "cd"));
    CHECK(chain("", "", "x") != chain("", "x", ""));
    CHECK(key_hash("", 0) != key_hash("", 1));
    CHECK(key_hash("", 0) != key_hash(std::string_view("\0", 1), 0));
    CHECK(key_hash("x", 5) == key_hash(std::string("x"), 5));
}
