// The set under the deduper: 64-bit key hashes, each with the number of the
// row that first had it. 12 bytes a slot in 64 segments that each grow by an
// eighth when 7/8 full (doubling up to 1,024 slots), so a distinct key costs
// 12 to 15.5 bytes past 60,000 keys, and growing copies one segment, never
// the table. A table reserved for its keys holds them in one mapping in
// huge pages, 14.2 bytes a key at a million (rounded up to 2 MiB), and never grows.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace prospect::lead {

class first_row_table {
public:
    // The row recorded for `hash`, or nullopt after recording `row` for it.
    // Hash 0 is taken as 1 (0 marks an empty slot).
    std::optional<std::uint32_t> find_or_add(std::uint64_t hash, std::uint32_t row);

    // Room for `keys` distinct hashes in all, made now, so that recording
    // them grows no segment: growing moves each key about nine times over a
    // million keys, each move a random write. Worth it where their number is
    // known ahead (a file's size over its first rows' bytes a row). Throws
    // std::bad_alloc, the table unchanged, when the memory cannot be had.
    void reserve(std::size_t keys);

    // Starts loading the slots find_or_add(hash) probes first (the home
    // slot's line and the next), so that the cache misses of a batch of keys
    // overlap instead of following each other.
    void prefetch(std::uint64_t hash) const noexcept;

    // Distinct hashes recorded.
    std::size_t size() const noexcept { return size_; }

    // Bytes the slots take (capacity x 12), what a key costs apart from the
    // 64 segment headers; during a segment's growth its old slots are held
    // too, at most 1/64 more.
    std::size_t slot_bytes() const noexcept { return capacity_ * sizeof(slot); }

    static constexpr std::size_t segment_count = 64;

private:
    // The hash is kept as two 32-bit words, so a slot takes 12 bytes, not
    // 16; it is copied in and out whole (memcpy), one load a probe.
    struct slot {
        std::uint32_t hash[2];
        std::uint32_t row;
    };
    static_assert(sizeof(slot) == 12);

    struct segment {
        // linear probing from the home slot, wrapping; in reserved_ or own
        slot* slots = nullptr;
        std::size_t capacity = 0;
        std::size_t size = 0;
        std::size_t limit = 0;  // the size at which it grows: 7/8 of its slots
        std::unique_ptr<slot[]> own;
    };

    // Zeroed memory for reserve(), mapped whole in huge pages where the
    // kernel allows: a million keys' random probes over 4 KiB pages missed
    // the TLB on nearly every row, and a prefetch waited for its page walk.
    struct mapped_slots {
        void* base = nullptr;
        std::size_t bytes = 0;
        mapped_slots() = default;
        explicit mapped_slots(std::size_t bytes);
        mapped_slots(mapped_slots&& other) noexcept;
        mapped_slots& operator=(mapped_slots&& other) noexcept;
        ~mapped_slots();
    };

    void grow(segment& s);
    // Moves the segment's keys to `into` (zeroed, `capacity` slots).
    void move_to(segment& s, slot* into, std::size_t capacity);

    std::array<segment, segment_count> segments_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;  // slots in all segments
    mapped_slots reserved_;
};

}  // namespace prospect::lead
