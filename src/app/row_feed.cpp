// The reader thread: row_source (CSV, validation, normalization,
// de-duplication) in input order, handed over in batches. A batch leaves
// when it is full, at the end, and as soon as the reader's buffer holds
// nothing more: the next row needs a read, which on a stream may wait for
// as long as the producer likes, and the rows already read must not wait
// with it.
#include "prospect/app/row_feed.hpp"

#include <algorithm>
#include <atomic>

namespace prospect::app {

struct row_feed::shared {
    shared(std::unique_ptr<row_source> s, const row_feed_params& p)
        : source(std::move(s)), params(p), handoff(p.queued_batches) {}
    std::unique_ptr<row_source> source;
    row_feed_params params;
    batch_handoff<row_batch> handoff;
    row_batch filling;                  // the reader's own batch
    std::atomic<bool> finished{false};  // the reader is done: joining is immediate
};

row_feed::row_feed(std::unique_ptr<row_source> source, row_feed_params params)
    : input_size_(source->reader().input_size()), input_name_(source->input_name()) {
    params.batch_rows = std::max<std::size_t>(params.batch_rows, 1);
    shared_ = std::make_shared<shared>(std::move(source), params);
    // The thread owns the shared state as much as this object does: it may
    // outlive it (see the destructor).
    if (params.own_thread)
        reader_ = std::thread([s = shared_] {
            while (read_batch(*s)) {
            }
        });
}

// A stop must not hang on a reader blocked in read(2) on a pipe that never
// ends. Nothing portable wakes that read: closing the descriptor does not
// (Linux lets the read go on), the csv layer retries EINTR, and non-blocking
// reads or a poll with an eventfd would have to live inside record_reader,
// around every read it makes. So a reader that may be blocked on a stream is
// detached instead of joined: it owns everything it touches (the row_source
// and the hand-off, through the shared state), the hand-off is stopped so
// it calls nobody back and ends at its next hand-over, and the process exits
// around it if the producer never writes again. A regular file never blocks
// for long: its reader is joined, as is one that has already finished.
row_feed::~row_feed() {
    stop();
    if (!reader_.joinable()) return;
    if (shared_->finished.load(std::memory_order_acquire) || !input_is_stream())
        reader_.join();
    else
        reader_.detach();
}

row_batch* row_feed::take() {
    if (reader_.joinable()) return shared_->handoff.take();
    switch (try_take()) {
    case take_status::ready: return &current();
    default: return nullptr;
    }
}

take_status row_feed::try_take() {
    auto status = shared_->handoff.try_take();
    // Without a thread of its own the feed reads here, once nothing is left.
    if (status == take_status::pending && !reader_.joinable()) {
        read_batch(*shared_);
        status = shared_->handoff.try_take();
    }
    return status;
}

row_batch& row_feed::current() { return shared_->handoff.current(); }
void row_feed::on_ready(std::function<void()> wake) { shared_->handoff.on_ready(std::move(wake)); }
void row_feed::stop() { shared_->handoff.stop(); }

// Reads and hands over one batch; false once there is nothing more to do
// (the end, a failure, or a consumer that stopped).
bool row_feed::read_batch(shared& s) {
    auto& source = *s.source;
    const auto& reader = source.reader();
    auto& batch = s.filling;
    auto note_state = [&] {
        batch.bytes_consumed = reader.bytes_consumed();
        batch.first_non_utf8_row = source.first_non_utf8_row();
    };
    bool more = true;
    batch.size = 0;
    try {
        while (batch.size < s.params.batch_rows) {
            if (batch.size == batch.slots.size()) batch.slots.emplace_back();
            if (!source.next(batch.slots[batch.size])) {
                more = false;
                break;
            }
            ++batch.size;
            if (reader.all_buffered_framed()) break;  // the next row reads
        }
        source.settle_duplicates({batch.slots.data(), batch.size});
        note_state();
        if (batch.size > 0 && !s.handoff.put(batch)) more = false;  // the consumer stopped
        else if (!more) s.handoff.close();
    } catch (...) {
        // The rows read before the failure go first; the consumer meets the
        // failure where they end. The row being read when it came is not one.
        source.settle_duplicates({batch.slots.data(), batch.size});
        note_state();
        if (batch.size == 0 || s.handoff.put(batch)) s.handoff.close(std::current_exception());
        more = false;
    }
    if (!more) s.finished.store(true, std::memory_order_release);
    return more;
}

}  // namespace prospect::app
