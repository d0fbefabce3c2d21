// What the journal holds, in memory: the latest outcome of each key
// (normalized URL, campaign, list), found by a 128-bit hash of the key in a
// sorted vector of 36-byte records; messages are kept once each. The keys
// themselves stay on disk.
#pragma once

#include "prospect/journal/journal_format.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace prospect::journal {

// A key's latest outcome. `message` lives as long as the index.
struct recorded_outcome {
    policy::outcome outcome = policy::outcome::added;
    bool move = false;
    std::uint16_t http_status = 0;
    std::uint32_t attempts = 0;
    std::string_view message;
    std::chrono::sys_seconds recorded_at{};
};

// Whether a row sent with `move` is final by what the journal holds: an added
// key always is; a rejected key only when the row's move flag is the one it
// was rejected with (with the other flag the API may answer otherwise).
bool is_final_for(const recorded_outcome& r, bool move);

// The report message of a row settled by the journal: an added key says when
// it was added ("added by an earlier run on 2026-11-30 05:12 UTC"); a
// rejected one keeps the API's message as recorded.
std::string resumed_message(const recorded_outcome& r);

// Whether a journal of `entries` records for `live_keys` keys is worth
// rewriting with one record a key: when superseded records are at least as
// many as live ones (the file is at least twice what it needs to be).
bool worth_compacting(std::uint64_t entries, std::size_t live_keys);

// False matches: two different keys share a MurmurHash3 x64_128 hash with
// probability 2^-128, so among n keys the odds of any false match are about
// n^2 / 2^129: 1.5e-27 for a million keys, 1.5e-21 for a billion. A false
// match would report a row as its twin's outcome without sending it; only the
// owner of the input could craft one, against their own rows.
class journal_index {
public:
    // Building: add() every entry in file order, then seal(). A key added
    // again supersedes its earlier record. Throws std::length_error past
    // 2^32 - 1 entries.
    void add(const journal_entry& entry, std::uint64_t ordinal);
    void seal();

    std::optional<recorded_outcome> find(std::string_view normalized_url, std::string_view campaign_id,
                                         std::string_view list_id) const;
    // Whether the entry at `ordinal` is its key's latest (compaction keeps those).
    bool is_latest(const journal_entry& entry, std::uint64_t ordinal) const;

    // Live keys.
    std::size_t size() const { return slots_.size(); }
    bool empty() const { return slots_.empty(); }
    // Entries added, superseded ones included.
    std::uint64_t entries() const { return entries_; }
    // Bytes held: the records and the distinct messages.
    std::size_t memory_bytes() const;

private:
    struct slot {
        std::uint32_t hash[4];  // MurmurHash3 x64_128 of the key, h1 low word first
        std::uint32_t ordinal;  // the entry's position in the file
        std::uint32_t recorded_at;  // seconds since 1970 (unsigned: good until 2106)
        std::uint32_t message;  // index into messages_
        std::uint32_t attempts;
        std::uint16_t http_status;
        std::uint8_t outcome;
        std::uint8_t move;
    };
    static_assert(sizeof(slot) == 36);

    slot key_slot(std::string_view url, std::string_view campaign, std::string_view list) const;
    const slot* find_slot(const slot& wanted) const;

    std::vector<slot> slots_;
    std::vector<std::string> messages_;
    std::unordered_map<std::string, std::uint32_t> message_ids_;  // while building
    std::uint64_t entries_ = 0;
    mutable std::string key_;  // reused buffer for the key being hashed
};

}  // namespace prospect::journal
