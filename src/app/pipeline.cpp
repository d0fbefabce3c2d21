// The pipeline's coroutines. Invariant: every admitted row reaches
// finish() exactly once, whatever happens (success, retries, stop, fatal);
// run() returns when the reorder window is empty after reading is done.
#include "prospect/app/pipeline.hpp"

#include "prospect/app/attempt.hpp"
#include "prospect/app/version.hpp"
#include "prospect/net/api_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace prospect::app {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;
using policy::outcome;

namespace {

// How far reading may run ahead of the oldest unfinished row. A finished
// row waiting here costs a few hundred bytes, so the window bounds that
// memory to a few MiB however long one row keeps retrying.
constexpr std::size_t window_rows = 16384;

policy::adaptive_rate_params rate_params(const config& cfg) {
    policy::adaptive_rate_params p;
    p.max_rate = cfg.rate;
    p.burst = cfg.burst;
    return p;
}

policy::row_params row_params(const config& cfg) {
    policy::row_params p;
    p.max_retries = cfg.max_retries;
    p.max_throttle_wait = cfg.max_throttle_wait;
    return p;
}

}  // namespace

struct pipeline::job {
    job(const policy::row_params& params, policy::retry_budget& budget, std::uint64_t seed)
        : fsm(params, seed, &budget) {}
    std::uint64_t seq = 0;
    source_row row;
    std::string request;  // the request bytes, built once for every attempt
    policy::row_fsm fsm;
    bool retrying = false;  // the machine waits for on_wait_done(), not start()
    int last_status = 0;
    std::string last_message;
};

pipeline::pipeline(asio::io_context& io, pipeline_params params)
    : io_(io),
      p_(params),
      requests_({p_.url, p_.api_key, version}),
      rate_(rate_params(p_.cfg), clock::now()),
      work_(io, static_cast<std::size_t>(p_.cfg.connections)),
      timed_(io.get_executor()),
      progress_(io.get_executor()),
      window_(window_rows) {}

pipeline::~pipeline() = default;

void pipeline::stop(stop_reason why, std::string message) {
    if (stop_reason_ != stop_reason::none) return;
    stop_reason_ = why;
    stop_message_ = std::move(message);
    timed_.wake_all();
}

asio::awaitable<void> pipeline::run() {
    for (int i = 0; i < p_.cfg.connections; ++i) asio::co_spawn(io_, worker(), asio::detached);
    co_await read_rows();
    while (!window_.empty()) co_await progress_.wait();
    work_.close();
}

asio::awaitable<void> pipeline::read_rows() {
    const auto params = row_params(p_.cfg);
    for (;;) {
        while (!window_.has_room()) co_await progress_.wait();
        auto j = std::make_unique<job>(params, budget_, seed_++);
        if (!p_.source.next(j->row)) break;
        ++rows_read_;
        auto seq = window_.admit();
        if (j->row.settled) {
            auto o = *j->row.settled;
            std::string message = std::move(j->row.message);
            finish(seq, {std::move(j->row), o, 0, 0, std::move(message)});
            continue;
        }
        // A key the API already has (added, or rejected with this move flag) is not sent again.
        if (auto earlier = p_.earlier ? p_.earlier->find(j->row.lead.normalized_url, j->row.lead.campaign_id,
                                                         j->row.lead.list_id)
                                      : std::nullopt;
            earlier && journal::is_final_for(*earlier, j->row.lead.move)) {
            ++resumed_;
            finish(seq, {std::move(j->row), earlier->outcome, earlier->http_status,
                         static_cast<int>(earlier->attempts), journal::resumed_message(*earlier), true});
            continue;
        }
        if (stop_reason_ != stop_reason::none) {
            finish(seq, {std::move(j->row), outcome::not_sent, 0, 0, stop_message_});
            continue;
        }
        const auto& lead = j->row.lead;
        j->seq = seq;
        j->request.assign(requests_.build({lead.list_id, lead.normalized_url, lead.campaign_id, lead.move}));
        co_await work_.async_send(boost::system::error_code{}, std::move(j), asio::use_awaitable);
    }
    reading_done_ = true;
}

asio::awaitable<void> pipeline::worker() {
    net::api_connection conn(io_.get_executor(), p_.tls, p_.url);
    for (;;) {
        auto [ec, j] = co_await work_.async_receive(asio::as_tuple(asio::use_awaitable));
        if (ec) break;
        co_await drive(conn, std::move(j));
    }
    conn.close();
}

asio::awaitable<bool> pipeline::take_token() {
    // Ask again after each wait: a 429 or a pause may have moved the time a
    // token comes while this worker slept.
    for (;;) {
        auto wait = rate_.try_acquire(clock::now());
        if (wait <= clock::duration::zero()) co_return true;
        if (!co_await timed_.sleep_for(wait)) co_return false;
    }
}

asio::awaitable<void> pipeline::drive(net::api_connection& conn, job_ptr j) {
    // The machine hears start()/on_wait_done() only once a token is in hand,
    // so a stop before that finds it idle (not_sent) or waiting (failed).
    while (stop_reason_ == stop_reason::none && !co_await take_token()) {}
    if (stop_reason_ != stop_reason::none) {
        auto stopped = *j->fsm.on_stop(clock::now());
        end(std::move(j), stopped);
        co_return;
    }
    auto now = clock::now();
    auto act = j->retrying ? j->fsm.on_wait_done(now) : j->fsm.start(now);
    while (act.type == policy::row_action::send) {
        auto result = co_await conn.post(j->request, p_.cfg.timeout);
        // A refused connection or certificate sent no request.
        if (result.outcome != net::post_result::kind::connect_failed &&
            result.outcome != net::post_result::kind::tls_verify_failed)
            ++requests_sent_;
        count_request(result);
        now = clock::now();
        auto attempt = to_attempt(result, std::chrono::system_clock::now());
        adapt_rate(result, attempt, now);
        j->last_status = result.status ? result.status : j->last_status;
        j->last_message = std::move(result.message);
        act = j->fsm.on_result(attempt, now);
    }
    if (act.type == policy::row_action::wait) {
        j->retrying = true;
        asio::co_spawn(io_, back_off(std::move(j), act.delay), asio::detached);
        co_return;
    }
    if (act.fatal) stop(stop_reason::fatal, fatal_stop_message(j->fsm, j->last_message));
    end(std::move(j), act);
}

void pipeline::count_request(const net::post_result& result) {
    using kind = net::post_result::kind;
    switch (result.outcome) {
    case kind::response: requests_by_status_.add_status(result.status); break;
    case kind::connect_failed: requests_by_status_.add_failure(transport_failure::connect_error); break;
    case kind::timed_out: requests_by_status_.add_failure(transport_failure::timeout); break;
    case kind::connection_lost: requests_by_status_.add_failure(transport_failure::connection_lost); break;
    case kind::tls_verify_failed: requests_by_status_.add_failure(transport_failure::tls_error); break;
    }
}

progress_snapshot pipeline::snapshot(clock::time_point now) const {
    progress_snapshot s;
    s.counts = counts_;
    s.rows_read = rows_read_;
    s.reading_done = reading_done_;
    s.bytes_read = p_.source.reader().bytes_read();
    s.input_size = p_.input_size;
    s.throttle_pause = std::max(clock::duration::zero(), rate_.paused_until() - now);
    s.effective_rate = rate_.rate();
    s.configured_rate = p_.cfg.rate;
    return s;
}

void pipeline::adapt_rate(const net::post_result& result, const policy::attempt_result& attempt,
                          clock::time_point now) {
    if (result.outcome != net::post_result::kind::response) return;
    if (result.status == 429) {
        ++throttled_;
        auto note = rate_.on_throttled(now, attempt.retry_after);
        if (note.rate_lowered)
            p_.out.verbose("429 from the API: rate lowered to {:.2f}/s", note.rate);
        if (note.pause_capped)
            p_.out.info("the API asked to pause {} s (Retry-After); pausing {} s instead",
                        std::chrono::duration_cast<std::chrono::seconds>(note.requested_pause).count(),
                        std::chrono::duration_cast<std::chrono::seconds>(note.pause).count());
    } else if (attempt.retry_after) {
        rate_.pause_for(now, *attempt.retry_after);
    } else {
        rate_.on_success(now);
    }
}

asio::awaitable<void> pipeline::back_off(job_ptr j, clock::duration delay) {
    if (!co_await timed_.sleep_for(delay) || stop_reason_ != stop_reason::none) {
        auto stopped = *j->fsm.on_stop(clock::now());
        end(std::move(j), stopped);
        co_return;
    }
    co_await work_.async_send(boost::system::error_code{}, std::move(j), asio::use_awaitable);
}

void pipeline::end(job_ptr j, const policy::row_action& done) {
    auto message = done.reason == policy::row_end::stopped_before_send ? stop_message_
                                                                        : final_message(j->fsm, done, j->last_message);
    int attempts = j->fsm.attempts();
    attempts_ += static_cast<std::uint64_t>(attempts);
    if (attempts > 0) ++attempted_rows_;
    finish(j->seq, {std::move(j->row), done.result, j->last_status, attempts, std::move(message)});
}

void pipeline::finish(std::uint64_t seq, finished_row r) {
    counts_.add(r.outcome);
    if (p_.observer) p_.observer->on_finished(r);
    window_.finish(seq, std::move(r));
    auto released = window_.release([this](const finished_row& f) {
        p_.report.write({.row = f.row.row,
                         .profile_url = f.row.profile_url,
                         .normalized_url = f.row.lead.normalized_url,
                         .campaign_id = f.row.lead.campaign_id,
                         .prospect_list_id = f.row.lead.list_id,
                         .outcome = f.outcome,
                         .http_status = f.http_status,
                         .attempts = f.attempts,
                         .message = f.message});
    });
    if (released) progress_.wake_all();
}

}  // namespace prospect::app
