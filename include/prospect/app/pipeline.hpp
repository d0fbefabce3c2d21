// The live import: one io_context, C++20 coroutines. The reader feeds units
// of work (a row) through a bounded channel to one worker per sender; each
// unit takes a token from the limiter before every attempt; a unit waiting
// out a backoff leaves its sender to others; finished rows reach the report
// in input order through a bounded reorder window. The pipeline knows
// neither sockets nor the pacing policy: both come in through seams
// (sender.hpp, limiter.hpp), which the tests replace with fakes.
#pragma once

#include "prospect/app/config.hpp"
#include "prospect/app/exit_status.hpp"
#include "prospect/app/limiter.hpp"
#include "prospect/app/log.hpp"
#include "prospect/app/metrics_file.hpp"
#include "prospect/app/progress.hpp"
#include "prospect/app/reorder_window.hpp"
#include "prospect/app/row_feed.hpp"
#include "prospect/app/sender.hpp"
#include "prospect/app/sleeper.hpp"
#include "prospect/app/tally.hpp"
#include "prospect/journal/journal_index.hpp"
#include "prospect/net/base_url.hpp"
#include "prospect/net/request.hpp"
#include "prospect/policy/retry_budget.hpp"
#include "prospect/policy/row_fsm.hpp"
#include "prospect/report/report_writer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <unordered_set>
#include <vector>

namespace prospect::app {

// A row's final word, kept until the report reaches it.
struct finished_row {
    source_row row;
    policy::outcome outcome = policy::outcome::not_sent;
    int http_status = 0;
    int attempts = 0;
    std::string message;
    bool resumed = false;  // final in an earlier run (the journal says so); not sent again
};

// Hooks for what outlives the run (the journal): called once a row is final
// or settled, in completion order. May throw (a full disk): the run then
// stops with exit 74.
class row_observer {
public:
    virtual ~row_observer() = default;
    virtual void on_finished(const finished_row& r) = 0;
    // Whether rows finished since the last record_finished() wait to be
    // recorded; record_finished() records them (throws when it cannot).
    // The pipeline calls it before a worker sends its next request.
    virtual bool has_unrecorded() const { return false; }
    virtual void record_finished() {}
};

// Why the run stopped early, as the exit status it implies, and the words.
struct stop_cause {
    exit_status status = exit_ok;  // exit_ok: not stopped
    std::string message;           // the message of the rows it left unsent
};

struct pipeline_params {
    const config& cfg;
    std::string_view api_key;
    net::base_url url;
    sender_factory senders;
    limiter& pace;
    row_feed& source;  // the rows, read on a thread of their own
    report::report_writer& report;
    const log& out;
    row_observer* observer = nullptr;
    // Final outcomes of earlier runs (the journal); rows found there are not sent.
    const journal::journal_index* earlier = nullptr;
    // Size of the input when it is a regular file (progress estimates), else 0.
    std::uint64_t input_size = 0;
};

class pipeline {
public:
    pipeline(boost::asio::io_context& io, pipeline_params params);
    ~pipeline();

    // Imports every row; returns when the report has every row read.
    // Never throws: a failure inside stops the run (failure()).
    boost::asio::awaitable<void> run();

    // Stops taking rows: requests in flight finish, rows waiting to retry
    // end failed, rows not yet sent end not_sent, every wait ends at once.
    // The first cause wins.
    void stop(exit_status why, std::string message);
    // Also abandons the requests in flight: their rows end failed (they may
    // have reached the API). For a second signal, and after a failure.
    void abandon();
    // A failure outside the pipeline's own tasks (a chore such as the
    // journal's sync): stops and abandons, recorded as failure(). The first
    // failure wins.
    void fail(exit_status status, std::string message);

    const stop_cause& stopped() const { return stop_; }
    // A failure of the importer itself (70) or of a local write (74), or an
    // input that changed while it was read; nullopt when none happened.
    const std::optional<stop_cause>& failure() const { return failure_; }

    const tally& counts() const { return counts_; }
    progress_snapshot snapshot(std::chrono::steady_clock::time_point now) const;
    const request_tally& requests() const { return requests_by_status_; }
    // Requests beyond each row's first.
    std::uint64_t retries() const { return attempts_ - attempted_rows_; }
    std::size_t resumed_rows() const { return resumed_; }
    std::uint64_t requests_sent() const { return requests_sent_; }
    std::uint64_t throttled() const { return throttled_; }
    std::size_t in_flight() const { return in_flight_; }

private:
    struct member;
    struct job;
    struct bulk_state;
    using job_ptr = std::unique_ptr<job>;
    using channel = boost::asio::experimental::channel<void(boost::system::error_code, job_ptr)>;
    using clock = run_clock;

    boost::asio::awaitable<void> read_rows();
    job_ptr single_job(member m);
    boost::asio::awaitable<void> dispatch(job_ptr j);
    boost::asio::awaitable<void> send_batches(bool all);
    boost::asio::awaitable<void> send_due_batches();
    bool read_bulk_answer(job& j, const net::post_result& result);
    std::string endpoint_missing_message(int status, const std::string& answer) const;
    boost::asio::awaitable<void> worker();
    boost::asio::awaitable<void> drive(sender& out, job_ptr j);
    boost::asio::awaitable<void> back_off(job_ptr j, clock::duration delay);
    boost::asio::awaitable<bool> take_turn();
    void on_answer(const net::post_result& result, const policy::attempt_result& attempt, clock::time_point sent_at,
                   clock::time_point now);
    bool pool_throttled_too_long(clock::time_point now) const;
    void count_request(const net::post_result& result);
    void end(job_ptr j, const policy::row_action& done);
    void end_failed(job_ptr j, const std::string& message);
    void finish(std::uint64_t seq, finished_row r);
    void record_finished();
    void fail_internal(std::exception_ptr e);

    boost::asio::io_context& io_;
    pipeline_params p_;
    net::request_builder requests_;
    policy::row_params row_params_;
    policy::retry_budget budget_;
    channel work_;
    sleeper timed_;     // backoff waits: cut short by stop()
    sleeper progress_;  // the reader waiting for room, run() waiting for the end
    sleeper rows_ready_;  // the reader waiting for the feed's next rows
    reorder_window<finished_row> window_;
    std::unique_ptr<bulk_state> bulk_;  // --endpoint bulk only
    sleeper batch_timer_;                // the wait for a batch's deadline: cut short by stop()
    std::unordered_set<sender*> senders_;
    tally counts_;
    bool reading_done_ = false;
    bool report_broken_ = false;  // a report write failed: later rows are not written
    stop_cause stop_;
    std::optional<stop_cause> failure_;
    std::optional<clock::time_point> throttled_since_;  // the first 429 since the last other answer
    std::uint64_t requests_sent_ = 0;
    std::uint64_t attempts_ = 0;  // the attempts the report counts, summed over finished rows
    std::uint64_t attempted_rows_ = 0;
    std::uint64_t throttled_ = 0;
    std::size_t in_flight_ = 0;
    std::size_t rows_read_ = 0;
    std::size_t resumed_ = 0;
    std::size_t settled_early_ = 0;  // invalid, duplicate or resumed: done without a request
    request_tally requests_by_status_;
    std::uint64_t seed_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace prospect::app
