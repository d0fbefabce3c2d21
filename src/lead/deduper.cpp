// The key is hashed part by part into 64 bits; the first_row_table keeps the
// hash and the first row that had it.
#include "prospect/lead/deduper.hpp"

#include "prospect/lead/key_hash.hpp"

#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect::lead {

namespace {

// Sixteen bytes a step with SSE2 (always there on x86-64), the last step
// overlapping, inline: the usual ids are 36 bytes and equal to the last
// row's, where a memcmp call costs more than the compare.
[[gnu::always_inline]] inline bool same_bytes(const std::string& a, const std::string& b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
#if defined(__SSE2__)
    if (n >= 16) {
        auto equal16 = [&](std::size_t at) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.data() + at));
            const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.data() + at));
            return _mm_cmpeq_epi8(x, y);
        };
        __m128i equal = _mm_and_si128(equal16(0), equal16(n - 16));
        for (std::size_t i = 16; i + 16 < n; i += 16) equal = _mm_and_si128(equal, equal16(i));
        return _mm_movemask_epi8(equal) == 0xFFFF;
    }
#endif
    return a == b;
}

}  // namespace

std::uint64_t deduper::hash_ahead(const validated_row& r) {
    if (!ids_known_ || !same_bytes(r.campaign_id, campaign_) || !same_bytes(r.list_id, list_)) {
        campaign_ = r.campaign_id;
        list_ = r.list_id;
        ids_seed_ = key_hash(list_, key_hash(campaign_, 0));
        ids_known_ = true;
    }
    const std::uint64_t hash = key_hash(r.normalized_url, ids_seed_);
    table_.prefetch(hash);
    return hash;
}

std::optional<std::size_t> deduper::check_hashed(std::uint64_t hash, std::size_t row) {
    if (row > max_row)
        throw std::length_error("deduper: row number above 4294967295");
    if (auto first = table_.find_or_add(hash, static_cast<std::uint32_t>(row))) return *first;
    return std::nullopt;
}

}  // namespace prospect::lead
