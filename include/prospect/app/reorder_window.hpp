// Rows finish out of order; the report must come out in input order. The
// window holds finished rows until every earlier row has finished, and
// bounds how far reading may run ahead of the oldest unfinished row, so
// memory stays bounded whatever a retry storm does.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace prospect::app {

template <class T>
class reorder_window {
public:
    explicit reorder_window(std::size_t capacity) : capacity_(capacity) {}

    // Room for one more row: reading must wait while this is false.
    bool has_room() const { return slots_.size() < capacity_; }

    // Admits the next row in input order; returns its sequence number.
    std::uint64_t admit() {
        slots_.emplace_back();
        return head_seq_ + slots_.size() - 1;
    }

    void finish(std::uint64_t seq, T value) {
        assert(seq >= head_seq_ && seq - head_seq_ < slots_.size());
        auto& slot = slots_[seq - head_seq_];
        assert(!slot);
        slot.emplace(std::move(value));
    }

    // Hands the finished rows at the head to `sink`, in order, and drops
    // them; returns how many were released.
    template <class Sink>
    std::size_t release(Sink&& sink) {
        std::size_t n = 0;
        while (!slots_.empty() && slots_.front()) {
            sink(*slots_.front());
            slots_.pop_front();
            ++head_seq_;
            ++n;
        }
        return n;
    }

    std::size_t size() const { return slots_.size(); }
    bool empty() const { return slots_.empty(); }

private:
    std::size_t capacity_;
    std::uint64_t head_seq_ = 0;  // sequence number of slots_.front()
    std::deque<std::optional<T>> slots_;
};

}  // namespace prospect::app
