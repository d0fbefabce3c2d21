// In-file de-duplication on (normalized URL, campaign id, list id): the later
// of two equal rows is a duplicate of the first. Holds millions of keys in a
// few tens of bytes each by storing a 128-bit fingerprint, not the strings.
#pragma once

#include "prospect/lead/fingerprint.hpp"
#include "prospect/lead/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace prospect::lead {

// Collision odds: two different keys share a MurmurHash3 x64_128 fingerprint
// with probability 2^-128, so among n keys a false "duplicate" has odds about
// n^2 / 2^129: 1.5e-27 for a million rows, 1.5e-21 for a billion. That is
// "never" for real spreadsheets. MurmurHash3 is not built to resist collisions
// crafted on purpose; the only one who could craft them is the owner of the
// file, and the worst they get is one of their own rows reported `duplicate`.
class deduper {
public:
    // Returns the first row that had the same key, or records `row` as the
    // first and returns nullopt. Meant for valid rows (their key is the
    // normalized URL and lower-case ids). Throws std::length_error for a row
    // number above 4294967294 (the table stores 32-bit row numbers).
    std::optional<std::size_t> check(const validated_row& r, std::size_t row);

    // Distinct keys recorded.
    std::size_t size() const noexcept { return size_; }

    // One key costs a 20-byte slot; the table doubles when 3/4 full, so it is
    // between 3/8 and 3/4 full: 27 to 53 bytes a key, about 40 on average
    // (a million distinct rows: 2^21 slots, 40 MB; the doubling that gets
    // there briefly holds the old table too, 60 MB at the peak).
    static constexpr std::size_t bytes_per_entry_estimate() noexcept { return 40; }

private:
    struct slot {
        std::uint32_t fp[4];  // the fingerprint, h1 low word first
        std::uint32_t row_plus_one;  // 0 marks an empty slot
    };
    static_assert(sizeof(slot) == 20);

    void grow();
    static void place(std::vector<slot>& table, const slot& s);

    std::vector<slot> slots_;  // open addressing, linear probing, power-of-two size
    std::size_t size_ = 0;
    std::string key_;  // reused buffer holding the key being hashed
};

}  // namespace prospect::lead
