#include "prospect/lead/first_row_table.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <new>
#include <vector>

using prospect::lead::first_row_table;

namespace {

// splitmix64: well-spread test hashes from a counter.
std::uint64_t mixed(std::uint64_t i) {
    std::uint64_t z = i * 0x9e3779b97f4a7c15ULL + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

TEST_CASE("a hash seen before gives back the first row, not the later one") {
    first_row_table t;
    CHECK_FALSE(t.find_or_add(42, 2));
    CHECK(t.find_or_add(42, 5) == 2u);
    CHECK(t.find_or_add(42, 9) == 2u);
    CHECK(t.size() == 1);
}

TEST_CASE("hashes that share a segment and a home slot stay apart") {
    first_row_table t;
    // Same top 38 bits: one segment, one home slot, whatever the capacity.
    const std::uint64_t base = 0x5a5a5a5a5a000000ULL;
    for (std::uint32_t k = 1; k <= 40; ++k) CHECK_FALSE(t.find_or_add(base + k, k));
    for (std::uint32_t k = 1; k <= 40; ++k) CHECK(t.find_or_add(base + k, 1000 + k) == k);
    CHECK(t.size() == 40);
}

TEST_CASE("probing wraps from the last slot of a segment to its first") {
    first_row_table t;
    // All ones at the top: the last segment, home slot its last one.
    for (std::uint32_t k = 0; k < 30; ++k) CHECK_FALSE(t.find_or_add(~std::uint64_t{0} - k, k));
    for (std::uint32_t k = 0; k < 30; ++k) CHECK(t.find_or_add(~std::uint64_t{0} - k, 99) == k);
}

TEST_CASE("hash 0 is taken as hash 1") {
    first_row_table t;
    CHECK_FALSE(t.find_or_add(0, 7));
    CHECK(t.find_or_add(1, 8) == 7u);
}

TEST_CASE("every hash survives the segments' growth with its row") {
    first_row_table t;
    constexpr std::uint32_t n = 300'000;
    for (std::uint32_t i = 0; i < n; ++i)
        if (t.find_or_add(mixed(i), i)) FAIL("hash " << i << " found before it was added");
    CHECK(t.size() == n);
    std::uint32_t wrong = 0;
    for (std::uint32_t i = 0; i < n; ++i)
        if (t.find_or_add(mixed(i), n + i) != i) ++wrong;
    CHECK(wrong == 0);
    CHECK(t.size() == n);
}

TEST_CASE("past 100,000 keys a key costs 12 to 16 bytes of slots, at every size") {
    first_row_table t;
    double lowest = 1e9, highest = 0;
    for (std::uint32_t i = 0; i < 400'000; ++i) {
        t.find_or_add(mixed(i), i);
        if (t.size() < 100'000) continue;
        const double per_key = static_cast<double>(t.slot_bytes()) / static_cast<double>(t.size());
        lowest = per_key < lowest ? per_key : lowest;
        highest = per_key > highest ? per_key : highest;
    }
    CHECK(lowest >= 12.0);
    CHECK(highest <= 16.0);
    MESSAGE("bytes a key from 100,000 to 400,000 keys: " << lowest << " to " << highest);
}

TEST_CASE("a table reserved for n keys takes them all without growing, at 14 bytes a key") {
    constexpr std::uint32_t n = 200'000;
    first_row_table t;
    t.reserve(n);
    const std::size_t reserved = t.slot_bytes();
    for (std::uint32_t i = 0; i < n; ++i) t.prefetch(mixed(i)), t.find_or_add(mixed(i), i);
    CHECK(t.slot_bytes() == reserved);
    CHECK(static_cast<double>(reserved) / n >= 12.0 * 8 / 7);  // 7/8 full at most
    CHECK(static_cast<double>(reserved) / n <= 14.5);
    std::size_t wrong = 0;
    for (std::uint32_t i = 0; i < n; ++i)
        if (t.find_or_add(mixed(i), n + i) != i) ++wrong;
    CHECK(wrong == 0);
    t.reserve(n / 2);  // less than it has: nothing moves
    CHECK(t.slot_bytes() == reserved);
    CHECK(t.find_or_add(mixed(7), 1) == 7u);
}

TEST_CASE("a reservation too large to be had throws bad_alloc and leaves the table as it was") {
    first_row_table t;
    for (std::uint32_t i = 0; i < 1000; ++i) t.find_or_add(mixed(i), i);
    const std::size_t bytes = t.slot_bytes();
    CHECK_THROWS_AS(t.reserve(std::size_t{1} << 44), std::bad_alloc);  // 250 TB: no mapping that large
    CHECK_THROWS_AS(t.reserve(std::numeric_limits<std::size_t>::max()), std::bad_alloc);
    CHECK(t.slot_bytes() == bytes);
    CHECK(t.find_or_add(mixed(5), 7) == 5u);
    CHECK_FALSE(t.find_or_add(mixed(5000), 5000).has_value());
}
