// The fingerprint table: the low bits of h1 pick the home slot (fmix64 makes
// every bit of h1 depend on every input byte), linear probing from there.
#include "prospect/lead/deduper.hpp"

#include <limits>
#include <stdexcept>

namespace prospect::lead {

namespace {

constexpr std::size_t initial_slots = 1024;

}  // namespace

void deduper::place(std::vector<slot>& table, const slot& s) {
    const std::size_t mask = table.size() - 1;
    std::size_t i = s.fp[0] & mask;
    while (table[i].row_plus_one != 0) i = (i + 1) & mask;
    table[i] = s;
}

void deduper::grow() {
    std::vector<slot> bigger(slots_.empty() ? initial_slots : slots_.size() * 2, slot{});
    for (const slot& s : slots_)
        if (s.row_plus_one != 0) place(bigger, s);
    slots_.swap(bigger);
}

std::optional<std::size_t> deduper::check(const validated_row& r, std::size_t row) {
    if (row >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("deduper: row number above 4294967294");
    // '\n' cannot occur in a normalized URL (it would be %0A) nor in a UUID,
    // so the concatenation is unambiguous.
    key_.assign(r.normalized_url);
    key_ += '\n';
    key_ += r.campaign_id;
    key_ += '\n';
    key_ += r.list_id;
    const fingerprint f = murmur3_x64_128(key_);
    const slot wanted{{static_cast<std::uint32_t>(f.h1), static_cast<std::uint32_t>(f.h1 >> 32),
                       static_cast<std::uint32_t>(f.h2), static_cast<std::uint32_t>(f.h2 >> 32)},
                      static_cast<std::uint32_t>(row + 1)};

    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = wanted.fp[0] & mask;; i = (i + 1) & mask) {
        slot& s = slots_[i];
        if (s.row_plus_one == 0) {
            s = wanted;
            ++size_;
            return std::nullopt;
        }
        if (s.fp[0] == wanted.fp[0] && s.fp[1] == wanted.fp[1] && s.fp[2] == wanted.fp[2] &&
            s.fp[3] == wanted.fp[3])
            return s.row_plus_one - 1;
    }
}

}  // namespace prospect::lead
