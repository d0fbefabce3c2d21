// In-file de-duplication on (normalized URL, campaign id, list id): the later
// of two equal rows is a duplicate of the first. Holds millions of keys in
// under 16 bytes each by storing a 64-bit hash of the key, not the strings.
#pragma once

#include "prospect/lead/first_row_table.hpp"
#include "prospect/lead/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace prospect::lead {

// False duplicates: two different keys share the 64-bit hash (key_hash of
// the URL seeded with that of the campaign and list ids, hash 0 taken as 1)
// with probability about 2^-64, so among n distinct keys the odds that some
// row is wrongly reported `duplicate` (and not sent) are about n^2 / 2^65:
// 2.7e-8 for a million rows, 2.7e-6 for ten million, 2.7e-4 for a hundred
// million. key_hash is not built to resist collisions crafted on purpose;
// only the owner of the file could craft them, and they would only hold
// back their own row.
class deduper {
public:
    static constexpr std::size_t max_row = 4294967295;

    // Returns the first row that had the same key, or records `row` as the
    // first and returns nullopt. Meant for valid rows (their key is the
    // normalized URL and lower-case ids). Throws std::length_error for a row
    // number above max_row (the table stores 32-bit row numbers).
    std::optional<std::size_t> check(const validated_row& r, std::size_t row) {
        return check_hashed(hash_ahead(r), row);
    }

    // check() in two halves, for a batch: every row's key hashed first, which
    // starts loading the table slot it will probe, then each checked in
    // order, so that the table's cache misses overlap (at a million keys the
    // table is ten times the size of the L2 cache, and a miss a row followed
    // by the next one was nearly half of a dry run's CPU time).
    std::uint64_t hash_ahead(const validated_row& r);
    std::optional<std::size_t> check_hashed(std::uint64_t hash, std::size_t row);

    // Room for `keys` distinct keys, made now (first_row_table::reserve).
    void reserve(std::size_t keys) { table_.reserve(keys); }

    // Distinct keys recorded.
    std::size_t size() const noexcept { return table_.size(); }

    // Bytes the table's slots take; divided by size(), what a key costs.
    std::size_t table_bytes() const noexcept { return table_.slot_bytes(); }

private:
    first_row_table table_;
    // The last row's ids and their hash, the seed of the URL's: most rows
    // share them, so they are hashed when they change, not every row.
    std::string campaign_, list_;
    std::uint64_t ids_seed_ = 0;
    bool ids_known_ = false;
};

}  // namespace prospect::lead
