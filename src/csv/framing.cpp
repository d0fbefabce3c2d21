// Record framing: the read buffer, its refills, and the quote-aware scan
// for where a record and its cells end. Cell contents are left to
// record_reader.cpp (and fccp).
#include "prospect/csv/record_reader.hpp"

#include "record_scan.hpp"
#include "source.hpp"

#include <algorithm>
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
// columns are chosen, the same pass (record_scan.cpp) notes where the mapped
// cells start and end, counting the delimiters before them a run at a time,
// and whether every quote is plain; the offsets count from the record's first
// byte, so moving the record to the front of the buffer keeps them.
bool record_reader::next_frame(frame& f) {
    record_scan s;
    s.begin = s.at = pos_;
    s.wanted = wanted_.data();
    s.noted = noted_.data();
    std::uint64_t dropped = 0;
    auto finish = [&](std::size_t size, bool unterminated) {
        f = {s.begin, size, dropped + size, unterminated, s.has_nul, s.plain_quotes,
             static_cast<std::size_t>(s.noted - noted_.data())};
        ++rows_;
        return true;
    };
    for (;;) {
        const std::size_t stop = scan_(s, buf_.get(), end_, frame_delimiter_);
        if (stop != record_scan::none) {
            std::size_t terminator = 1;
            if (buf_[stop] == '\r') {
                if (stop + 1 == end_ && !eof_) {  // a LF may follow in the next read: scan from the CR again
                    dropped += refill(s.begin, s.at);
                    continue;
                }
                if (stop + 1 < end_ && buf_[stop + 1] == '\n') terminator = 2;
            }
            pos_ = stop + terminator;
            return finish(stop - s.begin, false);
        }
        if (eof_) {
            pos_ = end_;
            if (s.begin == end_ && dropped == 0) return false;
            return finish(end_ - s.begin, s.in_quotes);
        }
        dropped += refill(s.begin, s.at);
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
