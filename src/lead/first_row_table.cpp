// The top 6 bits of a hash pick its segment; the next 32 pick its home slot
// by multiplying into the segment's capacity (no power-of-two sizes, so a
// segment can grow by an eighth), and it is probed linearly from there.
#include "prospect/lead/first_row_table.hpp"

#include <cstring>

namespace prospect::lead {

namespace {

constexpr unsigned segment_bits = 6;
static_assert(first_row_table::segment_count == 1u << segment_bits);
constexpr std::size_t first_capacity = 64;
// Below this a segment doubles: small tables are cheap, and growing by an
// eighth from 64 slots would move each key about eight times for nothing.
constexpr std::size_t doubling_below = 1024;

std::size_t home(std::uint64_t hash, std::size_t capacity) noexcept {
    const std::uint64_t below_segment = (hash << segment_bits) >> 32;
    return static_cast<std::size_t>((below_segment * capacity) >> 32);
}

template <class Slot>
std::uint64_t hash_of(const Slot& x) noexcept {
    std::uint64_t h;
    std::memcpy(&h, x.hash, sizeof h);
    return h;
}

}  // namespace

void first_row_table::grow(segment& s) {
    const std::size_t old_capacity = s.slots.size();
    resize(s, old_capacity == 0               ? first_capacity
              : old_capacity < doubling_below ? old_capacity * 2
                                              : old_capacity + old_capacity / 8);
}

void first_row_table::resize(segment& s, std::size_t capacity) {
    std::vector<slot> bigger(capacity, slot{});
    for (const slot& x : s.slots) {
        const std::uint64_t h = hash_of(x);
        if (h == 0) continue;
        std::size_t i = home(h, capacity);
        while (hash_of(bigger[i]) != 0) i = i + 1 == capacity ? 0 : i + 1;
        bigger[i] = x;
    }
    capacity_ += capacity - s.slots.size();
    s.slots.swap(bigger);
    s.limit = capacity * 7 / 8;
}

// A segment's share of the keys varies by about its square root: 1/32 more
// and 64 slots (4.4 standard deviations at a million keys) keep every
// segment under its limit, at 14.1 bytes a key.
void first_row_table::reserve(std::size_t keys) {
    const std::size_t per_segment = keys / segment_count;
    const std::size_t capacity = (per_segment + per_segment / 32 + 64) * 8 / 7 + 1;
    for (segment& s : segments_)
        if (s.slots.size() < capacity) resize(s, capacity);
}

void first_row_table::prefetch(std::uint64_t hash) const noexcept {
    if (hash == 0) hash = 1;
    const segment& s = segments_[hash >> (64 - segment_bits)];
    if (!s.slots.empty()) __builtin_prefetch(s.slots.data() + home(hash, s.slots.size()), 1);
}

std::optional<std::uint32_t> first_row_table::find_or_add(std::uint64_t hash, std::uint32_t row) {
    if (hash == 0) hash = 1;
    segment& s = segments_[hash >> (64 - segment_bits)];
    if (s.size >= s.limit) grow(s);
    slot* const first = s.slots.data();
    slot* const end = first + s.slots.size();
    for (slot* x = first + home(hash, s.slots.size());;) {
        const std::uint64_t h = hash_of(*x);
        if (h == hash) return x->row;
        if (h == 0) {
            std::memcpy(x->hash, &hash, sizeof hash);
            x->row = row;
            ++s.size;
            ++size_;
            return std::nullopt;
        }
        if (++x == end) x = first;
    }
}

}  // namespace prospect::lead
