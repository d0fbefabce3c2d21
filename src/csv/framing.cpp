// Record framing: the read buffer, its refills, and the quote-aware scan
// for where a record and its cells end. Cell contents are left to
// record_reader.cpp (and fccp).
#include "prospect/csv/record_reader.hpp"

#include "source.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace prospect::csv {

// Moves the unframed bytes to the front, grows the buffer for a record that
// does not fit yet, and reads once. A record already over the limit is not
// kept: its bytes are dropped (the count is returned) while the scan goes on
// to find where it ends, so memory stays bounded by the limit. While looking
// ahead, the bytes from the pin on are kept, up to the look-ahead's budget
// (which is below the record limit, so nothing is dropped meanwhile).
std::size_t record_reader::refill(std::size_t& record_begin, std::size_t& scan) {
    if (pin_ != npos_pin && end_ - pin_ >= std::min(params_.look_ahead_bytes, params_.max_record_bytes))
        throw look_ahead_full{};
    std::size_t dropped = 0;
    if (scan - record_begin > params_.max_record_bytes) {
        dropped = scan - record_begin;
        record_begin = scan;
    }
    if (const std::size_t keep = std::min(record_begin, pin_); keep > 0) {
        std::memmove(buf_.get(), buf_.get() + keep, end_ - keep);
        end_ -= keep;
        scan -= keep;
        record_begin -= keep;
        if (pin_ != npos_pin) pin_ -= keep;
    }
    const std::size_t chunk = params_.read_chunk_bytes;
    if (capacity_ - end_ < chunk) {
        std::size_t wanted = std::max(2 * capacity_, end_ + chunk);
        std::size_t grown = std::max(std::min(wanted, params_.max_record_bytes + 2 * chunk), end_ + chunk);
        auto bigger = std::make_unique_for_overwrite<char[]>(grown + 1);
        std::memcpy(bigger.get(), buf_.get(), end_);
        buf_ = std::move(bigger);
        capacity_ = grown;
    }
    std::size_t n = source_->read(buf_.get() + end_, std::min(chunk, capacity_ - end_));
    if (n == 0) {
        eof_ = true;
        return dropped;
    }
    std::string_view fresh(buf_.get() + end_, n);
    if (observer_)
        observer_(fresh);
    else if (!started_)
        prelude_.append(fresh);
    end_ += n;
    return dropped;
}

// One spreadsheet row: a record (its line breaks inside quotes included) up
// to an unquoted LF, CRLF or lone CR, or to the end of the input. Once the
// delimiter is known, the same pass notes where cells end in bounds_ (the
// rule of fccp's chop_next_column: each quote opens or closes quoting), so
// cells are not scanned a second time. The offsets count from the record's
// first byte, so moving the record to the front of the buffer keeps them.
// Bytes are looked at 64 at a time through stop_mask_; the delimiters
// between two other stops (quotes, line breaks, NULs) end cells in a tight
// loop, and only those other stops go through the loop's body.
bool record_reader::next_frame(frame& f) {
    f = frame{};
    std::size_t begin = pos_;
    std::size_t scan = pos_;
    std::uint64_t dropped = 0;
    bool in_quotes = false;
    bool cell_has_quote = false;
    cell_bound* const bounds = bounds_.data();
    const std::size_t bounds_size = bounds_.size();
    std::size_t count = 0;  // bound_count_, kept in a register until the frame is done
    auto end_cell = [&] {
        if (count < bounds_size) bounds[count++] = {scan - begin, cell_has_quote};
        cell_has_quote = false;
    };
    for (;;) {
        const char* b = buf_.get();
        bool wait_for_lf = false;
        while (scan < end_ && !wait_for_lf) {
            const std::size_t block = scan;
            const std::size_t width = std::min<std::size_t>(end_ - block, 64);
            stop_bits stops;
            if (width == 64) {
                stops = stop_mask_(b + block, frame_delimiter_);
            } else {
                // The end of what was read: a padded copy, whose padding the masks leave out.
                char tail[64] = {};
                std::memcpy(tail, b + block, width);
                stops = stop_mask_(tail, frame_delimiter_);
                const std::uint64_t read = (std::uint64_t{1} << width) - 1;
                stops.delimiters &= read;
                stops.others &= read;
            }
            // Before the header is read, '"' stands in for the delimiter: a quote all the same.
            std::uint64_t delimiters = stops.delimiters & ~stops.others;
            for (std::uint64_t others = stops.others;; others &= others - 1) {
                // The delimiters before the next other stop end cells, unless quoted.
                const std::uint64_t before = others ? (others & -others) - 1 : ~std::uint64_t{0};
                if (!in_quotes)
                    for (std::uint64_t d = delimiters & before; d != 0; d &= d - 1) {
                        scan = block + static_cast<std::size_t>(std::countr_zero(d));
                        end_cell();
                    }
                delimiters &= ~before;
                if (others == 0) break;
                scan = block + static_cast<std::size_t>(std::countr_zero(others));
                const char c = b[scan];
                if (c == '"') {
                    cell_has_quote = true;
                    in_quotes = !in_quotes;
                } else if (c == '\0') {
                    f.has_nul = true;
                } else if (!in_quotes) {  // a line break inside quotes is text
                    std::size_t terminator = 1;
                    if (c == '\r') {
                        if (scan + 1 == end_ && !eof_) {  // a LF may follow in the next read
                            wait_for_lf = true;
                            break;
                        }
                        if (scan + 1 < end_ && b[scan + 1] == '\n') terminator = 2;
                    }
                    end_cell();
                    bound_count_ = count;
                    f.begin = begin;
                    f.size = scan - begin;
                    f.total = dropped + f.size;
                    pos_ = scan + terminator;
                    ++rows_;
                    return true;
                }
            }
            if (!wait_for_lf) scan = block + width;
        }
        if (scan == end_ && eof_) {
            if (begin == end_ && dropped == 0) {
                bound_count_ = 0;
                pos_ = end_;
                return false;
            }
            end_cell();
            bound_count_ = count;
            f.begin = begin;
            f.size = end_ - begin;
            f.total = dropped + f.size;
            f.unterminated = in_quotes;
            pos_ = end_;
            ++rows_;
            return true;
        }
        dropped += refill(begin, scan);
    }
}

bool record_reader::is_blank(const frame& f, std::string_view delimiters) const {
    if (f.total != f.size) return false;
    const char* b = buf_.get() + f.begin;
    for (std::size_t i = 0; i < f.size; ++i)
        if (b[i] != ' ' && b[i] != '\t' && delimiters.find(b[i]) == std::string_view::npos)
            return false;
    return true;
}

bool record_reader::fill(std::size_t n) {
    while (end_ - pos_ < n && !eof_) {
        std::size_t scan = end_;
        refill(pos_, scan);
    }
    return end_ - pos_ >= n;
}

}  // namespace prospect::csv
