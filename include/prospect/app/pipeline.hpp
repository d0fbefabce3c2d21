// The live import: one io_context, C++20 coroutines. The reader feeds valid
// rows through a bounded channel to one worker per keep-alive connection;
// a row waiting out a backoff leaves its connection to others; finished rows
// reach the report in input order through a bounded reorder window.
// Included by import.cpp only: it drags in Asio.
#pragma once

#include "prospect/app/config.hpp"
#include "prospect/app/log.hpp"
#include "prospect/app/metrics_file.hpp"
#include "prospect/app/progress.hpp"
#include "prospect/app/reorder_window.hpp"
#include "prospect/app/row_source.hpp"
#include "prospect/app/sleeper.hpp"
#include "prospect/app/tally.hpp"
#include "prospect/journal/journal_index.hpp"
#include "prospect/net/base_url.hpp"
#include "prospect/net/request.hpp"
#include "prospect/policy/adaptive_rate.hpp"
#include "prospect/policy/retry_budget.hpp"
#include "prospect/policy/row_fsm.hpp"
#include "prospect/report/report_writer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

namespace prospect::net {
class api_connection;
struct post_result;
}

namespace prospect::app {

// Why a run ended before every row was tried.
enum class stop_reason { none, sigint, sigterm, fatal };

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
// or settled, in completion order.
class row_observer {
public:
    virtual ~row_observer() = default;
    virtual void on_finished(const finished_row& r) = 0;
};

struct pipeline_params {
    const config& cfg;
    net::base_url url;
    std::string_view api_key;
    boost::asio::ssl::context& tls;
    row_source& source;
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

    // Imports every row; returns when the report has every row.
    boost::asio::awaitable<void> run();

    // Stops taking rows: requests in flight finish, rows waiting to retry
    // end failed, rows not yet sent end not_sent. Idempotent; the first
    // reason wins.
    void stop(stop_reason why, std::string message);

    const tally& counts() const { return counts_; }
    progress_snapshot snapshot(std::chrono::steady_clock::time_point now) const;
    const request_tally& requests() const { return requests_by_status_; }
    // Requests beyond each row's first.
    std::uint64_t retries() const { return attempts_ - attempted_rows_; }
    std::size_t resumed_rows() const { return resumed_; }
    stop_reason stopped() const { return stop_reason_; }
    const std::string& stop_message() const { return stop_message_; }
    std::uint64_t requests_sent() const { return requests_sent_; }
    std::uint64_t throttled() const { return throttled_; }

private:
    struct job;
    using job_ptr = std::unique_ptr<job>;
    using channel = boost::asio::experimental::channel<void(boost::system::error_code, job_ptr)>;

    boost::asio::awaitable<void> read_rows();
    boost::asio::awaitable<void> worker();
    boost::asio::awaitable<void> drive(net::api_connection& conn, job_ptr j);
    boost::asio::awaitable<void> back_off(job_ptr j, std::chrono::steady_clock::duration delay);
    boost::asio::awaitable<bool> take_token();
    void count_request(const net::post_result& result);
    void adapt_rate(const net::post_result& result, const policy::attempt_result& attempt,
                    std::chrono::steady_clock::time_point now);
    void end(job_ptr j, const policy::row_action& done);
    void finish(std::uint64_t seq, finished_row r);

    boost::asio::io_context& io_;
    pipeline_params p_;
    net::request_builder requests_;
    policy::adaptive_rate rate_;
    policy::retry_budget budget_;
    channel work_;
    sleeper timed_;       // token, backoff and pause waits: cut short by stop()
    sleeper progress_;    // the reader waiting for room, run() waiting for the end
    reorder_window<finished_row> window_;
    tally counts_;
    bool reading_done_ = false;
    stop_reason stop_reason_ = stop_reason::none;
    std::string stop_message_;
    std::uint64_t requests_sent_ = 0;
    std::uint64_t attempts_ = 0;  // the attempts the report counts, summed over finished rows
    std::uint64_t attempted_rows_ = 0;
    std::uint64_t throttled_ = 0;
    std::size_t rows_read_ = 0;
    std::size_t resumed_ = 0;
    request_tally requests_by_status_;
    std::uint64_t seed_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace prospect::app
