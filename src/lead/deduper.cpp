// The key is hashed once into 64 bits; the first_row_table keeps the hash
// and the first row that had it.
#include "prospect/lead/deduper.hpp"

#include "prospect/lead/fingerprint.hpp"

#include <limits>
#include <stdexcept>

namespace prospect::lead {

std::optional<std::size_t> deduper::check(const validated_row& r, std::size_t row) {
    if (row > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("deduper: row number above 4294967295");
    // '\n' cannot occur in a normalized URL (it would be %0A) nor in a UUID,
    // so the concatenation is unambiguous.
    key_.assign(r.normalized_url);
    key_ += '\n';
    key_ += r.campaign_id;
    key_ += '\n';
    key_ += r.list_id;
    if (auto first = table_.find_or_add(murmur3_x64_128(key_).h1, static_cast<std::uint32_t>(row))) return *first;
    return std::nullopt;
}

}  // namespace prospect::lead
