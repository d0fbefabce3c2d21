// The rows of the input, read on a thread of their own: a slow producer on
// standard input then stalls neither the event loop of a live import nor
// anything else, and a dry run reads and validates on one core while it
// reports on another. Rows cross over in small batches (batch_handoff), each
// with what the consumer may ask of the reader, so that nothing the reader
// thread owns is read from another thread.
#pragma once

#include "prospect/app/batch_handoff.hpp"  // take_status
#include "prospect/app/row_source.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace prospect::app {

struct row_batch {
    // The first `size` are the batch's rows; the rest keep their buffers for the next batch.
    std::vector<source_row> slots;
    std::size_t size = 0;
    // The reader's state after the batch's last row.
    std::uint64_t bytes_consumed = 0;  // csv::record_reader::bytes_consumed()
    std::size_t first_non_utf8_row = 0;

    std::span<source_row> rows() { return {slots.data(), size}; }
};

struct row_feed_params {
    std::size_t batch_rows = 128;
    // Batches read and not yet taken: with the reader's and the consumer's
    // own, at most (queued_batches + 2) * batch_rows rows are held.
    std::size_t queued_batches = 8;
    // False: each batch is read on the consumer's thread when it is taken,
    // as the dry run does (measured faster), and as tests that run the
    // pipeline in simulated time need (the reader would be a real-time
    // stranger to their clock).
    bool own_thread = true;
};

class row_feed {
public:
    // Starts reading `source` on a thread of its own (unless
    // params.own_thread is false), which owns it from now on: ask it for
    // column_lines() before.
    explicit row_feed(std::unique_ptr<row_source> source, row_feed_params params = {});
    // Stops the reader; see the .cpp for why a reader blocked on a stream is
    // left behind rather than waited for.
    ~row_feed();
    row_feed(const row_feed&) = delete;
    row_feed& operator=(const row_feed&) = delete;

    // The consumer's side, one thread. The next batch in input order,
    // waiting for it; nullptr at the end of the input. Rethrows what reading
    // threw (csv::input_error, csv::input_changed, fatal_error, anything)
    // once the rows read before it are taken.
    row_batch* take();
    // As take() without waiting: pending calls the on_ready() callback, from
    // the reader's thread, once a batch or the end is there.
    take_status try_take();
    row_batch& current();
    void on_ready(std::function<void()> wake);
    // Takes no more rows: the reader ends at its next hand-over.
    void stop();

    // Known before reading starts: the size of a regular file, nullopt for a
    // stream (a pipe, a FIFO, a terminal), which may never end.
    std::optional<std::uint64_t> input_size() const { return input_size_; }
    bool input_is_stream() const { return !input_size_; }
    // As far as the rows taken go (the consumer's thread).
    std::uint64_t bytes_consumed() { return current().bytes_consumed; }
    // row_source's warning for a cell that is not UTF-8, as far as the rows taken go.
    std::string encoding_warning() { return app::encoding_warning(input_name_, current().first_non_utf8_row); }

private:
    struct shared;
    static bool read_batch(shared& s);

    std::optional<std::uint64_t> input_size_;
    std::string input_name_;
    std::shared_ptr<shared> shared_;
    std::thread reader_;
};

}  // namespace prospect::app
