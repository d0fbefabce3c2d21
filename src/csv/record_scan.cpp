// The block loops of record_scan.hpp: one template, instantiated for each
// mask kind inside a function of that kind's target (flatten inlines the
// mask, the quote parity and the bit counts into it), so a block costs no call.
#include "record_scan.hpp"

#include "stop_masks.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace prospect::csv {
namespace {

// Quoting is known for the whole block at once: the bits inside quotes are
// the running parity of the quote bits. A quote is plain when it opens after
// a delimiter, a quote or the record's start, or closes before any stop.
template <std::uint64_t (*parity)(std::uint64_t) noexcept>
struct block_scan {
    std::uint64_t inside;         // all ones when the block starts inside quotes
    std::uint64_t open_allowed;   // bit 0: a quote may open at the block's first byte
    std::uint64_t close_pending;  // bit 0: the block's first byte must be a stop
    std::uint64_t odd = 0;        // non-zero once a quote is not plain
    bool has_nul;
    std::size_t begin, count;
    const std::size_t* wanted;
    std::size_t want;  // *wanted
    std::size_t* noted;
    std::size_t result = record_scan::none;

    explicit block_scan(const record_scan& s)
        : inside(s.in_quotes ? ~std::uint64_t{0} : 0), open_allowed(s.open_allowed || s.at == s.begin ? 1 : 0),
          close_pending(s.close_pending ? 1 : 0), has_nul(s.has_nul), begin(s.begin), count(s.delimiters),
          wanted(s.wanted), want(*s.wanted), noted(s.noted) {}

    // One block of `width` bytes (64 but at the end of what was read); true
    // when the record ends in it, at `result`.
    bool step(const char* b, std::size_t block, const stop_bits& stops, std::size_t width) {
        const std::uint64_t inq = parity(stops.quotes) ^ inside;  // an opening quote is inside, a closing one not
        std::uint64_t mine = ~std::uint64_t{0};                     // the record's bits of the block
        if (const std::uint64_t ends = stops.breaks & ~inq; ends != 0) mine = find_end(b, block, ends);
        if ((stops.breaks & inq & mine) != 0) find_quoted_nuls(b, block, stops.breaks & inq & mine);
        // An opening quote cannot follow a quoted byte, so a line break before one is the record's start.
        const std::uint64_t all = stops.delimiters | stops.quotes | stops.breaks;
        const std::uint64_t last = std::uint64_t{1} << (width - 1);
        if ((stops.quotes | close_pending) != 0) {
            const std::uint64_t quotes = stops.quotes & mine;
            odd |= close_pending & ~all;
            odd |= quotes & inq & ~((all << 1) | open_allowed);
            odd |= quotes & ~inq & ~(all >> 1) & ~last;
            close_pending = (quotes & ~inq & last) >> (width - 1);
        }
        open_allowed = (all & last) >> (width - 1);
        // Before the header is read, '"' stands in for the delimiter, and nothing is wanted.
        if (want != record_scan::none) {
            const std::uint64_t d = stops.delimiters & ~inq & mine;
            const auto n = static_cast<std::size_t>(std::popcount(d));
            if (count + n > want)
                note_delimiters(d, block);
            else
                count += n;
        }
        inside = 0 - (inq >> 63);
        return result != record_scan::none;
    }

    // The first unquoted CR or LF among `ends` ends the record; NULs are
    // breaks too, but only mark it. Returns the record's bits of the block.
    std::uint64_t find_end(const char* b, std::size_t block, std::uint64_t ends) {
        for (; ends != 0; ends &= ends - 1) {
            const auto i = static_cast<std::size_t>(std::countr_zero(ends));
            if (b[block + i] != '\0') {
                result = block + i;
                return (ends & -ends) - 1;
            }
            has_nul = true;
        }
        return ~std::uint64_t{0};
    }

    // Line breaks inside quotes are text; NULs there still mark the record.
    void find_quoted_nuls(const char* b, std::size_t block, std::uint64_t quoted) {
        for (; quoted != 0; quoted &= quoted - 1)
            if (b[block + static_cast<std::size_t>(std::countr_zero(quoted))] == '\0') has_nul = true;
    }

    // Notes the wanted delimiters among `d` (the unquoted ones of the block
    // that are the record's) and counts them all.
    void note_delimiters(std::uint64_t d, std::size_t block) {
        do {
            for (std::size_t skip = want - count; skip > 0; --skip) d &= d - 1;
            *noted++ = block + static_cast<std::size_t>(std::countr_zero(d)) - begin;
            d &= d - 1;
            count = want + 1;
            want = *++wanted;
        } while (count + static_cast<std::size_t>(std::popcount(d)) > want);
        count += static_cast<std::size_t>(std::popcount(d));
    }

    std::size_t leave(record_scan& s, std::size_t end) const {
        s.at = result != record_scan::none ? result : end;
        s.delimiters = count;
        s.wanted = wanted;
        s.noted = noted;
        s.in_quotes = result == record_scan::none && inside != 0;  // a record ends outside quotes
        s.plain_quotes = s.plain_quotes && odd == 0;
        s.has_nul = has_nul;
        s.close_pending = close_pending != 0;
        s.open_allowed = open_allowed != 0;
        return result;
    }
};

// The end of what was read, from a padded copy whose padding the masks leave
// out; apart, so that the loop keeps no buffer on its stack.
template <stop_bits (*mask)(const char*, char) noexcept>
[[gnu::noinline]] stop_bits tail_mask(const char* p, std::size_t width, char delimiter) {
    char tail[64] = {};
    std::memcpy(tail, p, width);
    stop_bits stops = mask(tail, delimiter);
    const std::uint64_t read = (std::uint64_t{1} << width) - 1;
    stops.delimiters &= read;
    stops.quotes &= read;
    stops.breaks &= read;
    return stops;
}

// Whole blocks in the loop (their width a constant once inlined), then the rest.
template <stop_bits (*mask)(const char*, char) noexcept, std::uint64_t (*parity)(std::uint64_t) noexcept>
inline std::size_t scan(record_scan& s, const char* b, std::size_t end, char delimiter) {
    block_scan<parity> scan(s);
    std::size_t block = s.at;
    for (; end - block >= 64; block += 64)
        if (scan.step(b, block, mask(b + block, delimiter), 64)) return scan.leave(s, end);
    if (block < end) scan.step(b, block, tail_mask<mask>(b + block, end - block, delimiter), end - block);
    return scan.leave(s, end);
}

__attribute__((flatten)) std::size_t scan_portable(record_scan& s, const char* b, std::size_t end, char delimiter) {
    return scan<&masks::portable, &masks::prefix_xor>(s, b, end, delimiter);
}

#if defined(__x86_64__)
__attribute__((flatten)) std::size_t scan_sse2(record_scan& s, const char* b, std::size_t end, char delimiter) {
    return scan<&masks::sse2, &masks::prefix_xor>(s, b, end, delimiter);
}

__attribute__((target("avx2,pclmul,popcnt"), flatten)) std::size_t scan_avx2(record_scan& s, const char* b,
                                                                         std::size_t end, char delimiter) {
    return scan<&masks::avx2, &masks::clmul_prefix_xor>(s, b, end, delimiter);
}
#endif

}  // namespace

record_scan_fn record_scan_for(scan_kind kind) noexcept {
#if defined(__x86_64__)
    if (kind == scan_kind::avx2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
        __builtin_cpu_supports("popcnt"))
        return &scan_avx2;
    if (kind != scan_kind::portable) return &scan_sse2;
#endif
    (void)kind;
    return &scan_portable;
}

}  // namespace prospect::csv
