// The top 6 bits of a hash pick its segment; the next 32 pick its home slot
// by multiplying into the segment's capacity (no power-of-two sizes, so a
// segment can grow by an eighth), and it is probed linearly from there.
#include "prospect/lead/first_row_table.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

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

first_row_table::mapped_slots::mapped_slots(std::size_t size) {
    constexpr std::size_t huge_page = std::size_t{2} << 20;
    bytes = (size + huge_page - 1) / huge_page * huge_page;
    // One huge page more, to start on a boundary.
    void* p = ::mmap(nullptr, bytes + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t aligned = (start + huge_page - 1) / huge_page * huge_page;
    if (aligned > start) ::munmap(p, aligned - start);
    if (const std::size_t after = huge_page - (aligned - start); after > 0)
        ::munmap(reinterpret_cast<void*>(aligned + bytes), after);
    base = reinterpret_cast<void*>(aligned);
    ::madvise(base, bytes, MADV_HUGEPAGE);  // advice: 4 KiB pages still work
}

first_row_table::mapped_slots::mapped_slots(mapped_slots&& other) noexcept
    : base(std::exchange(other.base, nullptr)), bytes(std::exchange(other.bytes, 0)) {}

first_row_table::mapped_slots& first_row_table::mapped_slots::operator=(mapped_slots&& other) noexcept {
    std::swap(base, other.base);
    std::swap(bytes, other.bytes);
    return *this;
}

first_row_table::mapped_slots::~mapped_slots() {
    if (base != nullptr) ::munmap(base, bytes);
}

void first_row_table::grow(segment& s) {
    const std::size_t capacity = s.capacity == 0               ? first_capacity
                                 : s.capacity < doubling_below ? s.capacity * 2
                                                               : s.capacity + s.capacity / 8;
    auto bigger = std::make_unique<slot[]>(capacity);
    move_to(s, bigger.get(), capacity);
    s.own = std::move(bigger);
}

void first_row_table::move_to(segment& s, slot* into, std::size_t capacity) {
    for (const slot* x = s.slots; x != s.slots + s.capacity; ++x) {
        const std::uint64_t h = hash_of(*x);
        if (h == 0) continue;
        std::size_t i = home(h, capacity);
        while (hash_of(into[i]) != 0) i = i + 1 == capacity ? 0 : i + 1;
        into[i] = *x;
    }
    capacity_ += capacity - s.capacity;
    s.slots = into;
    s.capacity = capacity;
    s.limit = capacity * 7 / 8;
    s.own.reset();
}

// A segment's share of the keys varies by about its square root: 1/32 more
// and 64 slots (4.4 standard deviations at a million keys) keep every
// segment under its limit, at 14.2 bytes a key. Once only: a second
// reservation would leave the first one's memory unused.
void first_row_table::reserve(std::size_t keys) {
    const std::size_t per_segment = keys / segment_count;
    if (per_segment > std::numeric_limits<std::size_t>::max() / 64 / sizeof(slot) / segment_count)
        throw std::bad_alloc();
    const std::size_t capacity = (per_segment + per_segment / 32 + 64) * 8 / 7 + 1;
    if (reserved_.base != nullptr ||
        std::all_of(segments_.begin(), segments_.end(), [&](const segment& s) { return s.capacity >= capacity; }))
        return;
    reserved_ = mapped_slots(segment_count * capacity * sizeof(slot));
    auto* next = static_cast<slot*>(reserved_.base);
    for (segment& s : segments_) {
        if (s.capacity < capacity) move_to(s, next, capacity);
        next += capacity;
    }
}

void first_row_table::prefetch(std::uint64_t hash) const noexcept {
    if (hash == 0) hash = 1;
    const segment& s = segments_[hash >> (64 - segment_bits)];
    if (s.capacity == 0) return;
    // A probe run averages three slots (36 bytes), so it goes on into the
    // next line about half the time: asking for both cut the dry run's
    // de-duplication from 150 to 117 cycles a row. A prefetch never faults,
    // so the second one may point past the segment.
    const auto* first = reinterpret_cast<const char*>(s.slots + home(hash, s.capacity));
    __builtin_prefetch(first, 1);
    __builtin_prefetch(first + 64, 1);
}

std::optional<std::uint32_t> first_row_table::find_or_add(std::uint64_t hash, std::uint32_t row) {
    if (hash == 0) hash = 1;
    segment& s = segments_[hash >> (64 - segment_bits)];
    if (s.size >= s.limit) grow(s);
    slot* const first = s.slots;
    slot* const end = first + s.capacity;
    for (slot* x = first + home(hash, s.capacity);;) {
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
