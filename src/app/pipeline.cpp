// The pipeline's coroutines. Invariant: every admitted row reaches finish()
// exactly once, whatever happens (success, retries, stop, an exception), so
// run() cannot hang; it returns when the reorder window is empty after
// reading is done.
#include "prospect/app/pipeline.hpp"

#include "prospect/app/attempt.hpp"
#include "prospect/app/version.hpp"
#include "prospect/net/bulk_answer.hpp"
#include "prospect/net/bulk_request.hpp"
#include "prospect/policy/batcher.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

namespace prospect::app {

namespace asio = boost::asio;
using policy::outcome;

namespace {

// How far reading may run ahead of the oldest unfinished row. A finished
// row waiting here costs a few hundred bytes, so the window bounds that
// memory to a few MiB however long one row keeps retrying.
constexpr std::size_t window_rows = 16384;

policy::row_params row_params(const config& cfg) {
    policy::row_params p;
    p.max_retries = cfg.max_retries;
    p.max_throttle_wait = cfg.max_throttle_wait;
    p.max_retry_after = std::min(p.max_retry_after, std::chrono::steady_clock::duration(cfg.max_throttle_wait));
    return p;
}

std::string what_of(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::bad_alloc&) {
        return "out of memory";
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "an exception of unknown type";
    }
}

}  // namespace

// A row on its way: its place in the report and what was read.
struct pipeline::member {
    std::uint64_t seq = 0;
    source_row row;
};

// A unit of work: one row for the single endpoint, a batch for the bulk
// one. One machine decides its retries; every row gets its own outcome.
struct pipeline::job {
    job(const policy::row_params& params, policy::retry_budget& budget, std::uint64_t seed)
        : fsm(params, seed, &budget) {}
    boost::container::small_vector<member, 1> rows;
    std::string request;  // the request bytes, built once for every attempt
    policy::row_fsm fsm;
    bool retrying = false;  // the machine waits for on_wait_done(), not start()
    int last_status = 0;
    std::string last_message;
    std::vector<net::bulk_row_answer> answers;  // bulk: each row's word in the 200 answer
};

// What the bulk endpoint adds: rows grouped into batches, their requests and
// the reading of their answers.
struct pipeline::bulk_state {
    explicit bulk_state(const pipeline_params& p)
        : requests({p.url, p.api_key, version, p.cfg.delete_if_inactive}),
          batches({.batch_size = static_cast<std::size_t>(p.cfg.batch_size)}) {}
    net::bulk_request_builder requests;
    policy::batcher<member> batches;
    net::bulk_answer_parser parser;
    net::bulk_answer answer;
    std::vector<std::string_view> sent;
};

pipeline::pipeline(asio::io_context& io, pipeline_params params)
    : io_(io),
      p_(std::move(params)),
      requests_({p_.url, p_.api_key, version}),
      row_params_(row_params(p_.cfg)),
      work_(io, static_cast<std::size_t>(p_.cfg.connections)),
      timed_(io.get_executor()),
      progress_(io.get_executor()),
      rows_ready_(io.get_executor()),
      window_(window_rows),
      batch_timer_(io.get_executor()) {
    if (p_.cfg.endpoint == endpoint_kind::bulk) bulk_ = std::make_unique<bulk_state>(p_);
}

pipeline::~pipeline() = default;

void pipeline::stop(exit_status why, std::string message) {
    if (stop_.status != exit_ok) return;
    stop_ = {why, std::move(message)};
    timed_.wake_all();
    batch_timer_.wake_all();
    rows_ready_.wake_all();
    p_.pace.close();
}

void pipeline::abandon() {
    for (auto* s : senders_) s->abandon();
}

void pipeline::fail(exit_status status, std::string message) {
    if (!failure_) failure_ = stop_cause{status, message};
    stop(status, "not sent: the run stopped: " + message);
    abandon();
}

void pipeline::fail_internal(std::exception_ptr e) {
    fail(exit_internal, "internal error: " + what_of(e));
}

asio::awaitable<void> pipeline::run() {
    for (int i = 0; i < p_.cfg.connections; ++i)
        asio::co_spawn(io_, worker(), [this](std::exception_ptr e) {
            if (e) fail_internal(e);
        });
    if (bulk_)
        asio::co_spawn(io_, send_due_batches(), [this](std::exception_ptr e) {
            if (e) fail_internal(e);
        });
    try {
        co_await read_rows();
    } catch (const csv::input_error& e) {
        // Nothing sent yet: the input is at fault as at start (2); otherwise
        // the rest waits for a later run (75).
        fail(requests_sent_ == 0 ? exit_usage : exit_transient, e.what());
    } catch (...) {
        fail_internal(std::current_exception());
    }
    reading_done_ = true;
    while (!window_.empty()) co_await progress_.wait();
    work_.close();
}

asio::awaitable<void> pipeline::read_rows() {
    auto& feed = p_.source;
    // The feed's thread asks this one to look again; the wake runs here, never there.
    feed.on_ready([this] { asio::post(io_, [this] { rows_ready_.wake_all(); }); });
    for (;;) {
        const auto status = feed.try_take();
        if (status == take_status::ended) break;
        if (status == take_status::pending) {
            // A stopped run does not wait for a stream, which may never send
            // another byte: the report ends with the rows read so far. A file
            // is read to its end, its rows not_sent.
            if (stop_.status != exit_ok && feed.input_is_stream()) break;
            co_await rows_ready_.wait();
            continue;
        }
        for (auto& read : feed.current().rows()) {
            while (!window_.has_room()) co_await progress_.wait();
            member m;
            m.row = std::move(read);
            ++rows_read_;
            m.seq = window_.admit();
            auto& row = m.row;
            if (row.settled) {
                ++settled_early_;
                auto o = *row.settled;
                std::string message = std::move(row.message);
                finish(m.seq, {std::move(row), o, 0, 0, std::move(message)});
                continue;
            }
            // A key the API already has (added, or rejected with this move flag) is not sent again.
            if (auto earlier = p_.earlier ? p_.earlier->find(row.lead.normalized_url, row.lead.campaign_id,
                                                             row.lead.list_id)
                                          : std::nullopt;
                earlier && journal::is_final_for(*earlier, row.lead.move)) {
                ++resumed_;
                ++settled_early_;
                finish(m.seq, {std::move(row), earlier->outcome, earlier->http_status,
                               static_cast<int>(earlier->attempts), journal::resumed_message(*earlier), true});
                continue;
            }
            if (stop_.status != exit_ok) {
                finish(m.seq, {std::move(row), outcome::not_sent, 0, 0, stop_.message});
                continue;
            }
            if (bulk_) {
                // The key is copied first: the row's strings move into the batch.
                const policy::batch_key key{row.lead.campaign_id, row.lead.list_id, row.lead.move};
                bulk_->batches.add(key.view(), std::move(m), clock::now());
                co_await send_batches(false);
            } else {
                co_await dispatch(single_job(std::move(m)));
            }
        }
    }
    feed.stop();
    if (bulk_) co_await send_batches(true);
}

pipeline::job_ptr pipeline::single_job(member m) {
    auto j = std::make_unique<job>(row_params_, budget_, seed_++);
    const auto& lead = m.row.lead;
    j->request.assign(requests_.build({lead.list_id, lead.normalized_url, lead.campaign_id, lead.move}));
    j->rows.push_back(std::move(m));
    return j;
}

asio::awaitable<void> pipeline::dispatch(job_ptr j) {
    co_await work_.async_send(boost::system::error_code{}, std::move(j), asio::use_awaitable);
}

asio::awaitable<void> pipeline::send_batches(bool all) {
    for (;;) {
        auto b = all ? bulk_->batches.take_any() : bulk_->batches.take_ready(clock::now());
        if (!b) co_return;
        auto j = std::make_unique<job>(row_params_, budget_, seed_++);
        bulk_->requests.begin({b->key.list_id, b->key.campaign_id, b->key.move});
        for (auto& m : b->items) {
            bulk_->requests.add_url(m.row.lead.normalized_url);
            j->rows.push_back(std::move(m));
        }
        j->request.assign(bulk_->requests.finish());
        co_await dispatch(std::move(j));
    }
}

asio::awaitable<void> pipeline::send_due_batches() {
    // A batch whose key has no more rows coming leaves when its first row has
    // waited long enough, even while reading is stalled.
    constexpr clock::duration idle_check = std::chrono::milliseconds(100);
    while (stop_.status == exit_ok) {
        auto due = bulk_->batches.next_deadline();
        auto wait = due ? std::max(*due - clock::now(), clock::duration(std::chrono::milliseconds(1))) : idle_check;
        co_await batch_timer_.sleep_for(wait);
        if (reading_done_ || stop_.status != exit_ok) co_return;
        co_await send_batches(false);
    }
}

// Reads a 2xx answer of the bulk endpoint into one word per row; false when
// it cannot be read (the batch is then retried whole).
bool pipeline::read_bulk_answer(job& j, const net::post_result& result) {
    auto& b = *bulk_;
    b.sent.clear();
    for (const auto& m : j.rows) b.sent.push_back(m.row.lead.normalized_url);
    if (result.body_discarded || !b.parser.parse(result.body, b.sent, b.answer)) return false;
    j.answers = b.answer.rows;
    if (b.answer.out_of_limit) stop(exit_transient, "not sent: " + b.answer.limit_message);
    return true;
}

asio::awaitable<void> pipeline::worker() {
    auto out = p_.senders();
    senders_.insert(out.get());
    struct unregister {
        pipeline& p;
        sender* s;
        ~unregister() { p.senders_.erase(s); }
    } registered{*this, out.get()};
    for (;;) {
        auto [ec, j] = co_await work_.async_receive(asio::as_tuple(asio::use_awaitable));
        if (ec) break;
        co_await drive(*out, std::move(j));
    }
}

bool pipeline::pool_throttled_too_long(clock::time_point now) const {
    return throttled_since_ && now - *throttled_since_ >= row_params_.max_throttle_wait;
}

asio::awaitable<bool> pipeline::take_turn() {
    for (;;) {
        if (stop_.status != exit_ok || pool_throttled_too_long(clock::now())) co_return false;
        // A row waits for its token no longer than the pool's throttle bound.
        const auto give_up_at = throttled_since_ ? *throttled_since_ + row_params_.max_throttle_wait
                                                 : clock::time_point::max();
        const bool granted = co_await p_.pace.acquire(give_up_at);
        if (granted) co_return true;
    }
}

asio::awaitable<void> pipeline::drive(sender& out, job_ptr j) {
    // Whatever escapes from here would lose the row and hang run(): the row
    // ends failed and the run stops instead.
    std::exception_ptr escaped;
    try {
        // Rows finished since this worker's last request are recorded before
        // it sends another, so a kill -9 re-sends at most the requests in
        // flight. Yielding first lets the other answers of this turn of the
        // event loop finish too, and one write records them all.
        if (p_.observer && p_.observer->has_unrecorded()) {
            co_await asio::post(io_, asio::use_awaitable);
            record_finished();
        }
        // The machine hears start()/on_wait_done() only once a turn is
        // taken, so a stop before that finds it idle (not_sent) or waiting
        // (failed).
        if (!co_await take_turn()) {
            // The action first: an argument moved from `j` may be built before the other is evaluated.
            const auto done = stop_.status != exit_ok ? *j->fsm.on_stop(clock::now())
                                                      : j->fsm.on_pool_throttled_too_long(clock::now());
            end(std::move(j), done);
            co_return;
        }
        auto now = clock::now();
        auto act = j->retrying ? j->fsm.on_wait_done(now) : j->fsm.start(now);
        while (act.type == policy::row_action::send) {
            const auto sent_at = now;
            ++in_flight_;
            auto result = co_await out.post(j->request, p_.cfg.timeout);
            --in_flight_;
            // A refused connection, handshake or certificate sent no request.
            if (result.request_sent) ++requests_sent_;
            count_request(result);
            now = clock::now();
            auto attempt = to_attempt(result, std::chrono::system_clock::now());
            on_answer(result, attempt, sent_at, now);
            const bool answered = result.outcome == net::post_result::kind::response;
            if (bulk_ && answered && result.status / 100 == 2 && !read_bulk_answer(*j, result)) {
                attempt = policy::attempt_result::transport(policy::attempt_kind::connection_lost);
                result.message = "the bulk answer could not be read: " + bulk_->answer.problem;
            }
            j->last_status = result.status ? result.status : j->last_status;
            j->last_message = std::move(result.message);
            if (answered && (result.status == 404 || result.status == 405) && !result.api_envelope) {
                act = j->fsm.on_endpoint_missing(result.status, now);
                stop(exit_endpoint_missing, endpoint_missing_message(result.status, j->last_message));
                break;
            }
            if (stop_.status != exit_ok) j->fsm.on_stop(now);  // no retry after a stop
            act = j->fsm.on_result(attempt, now);
        }
        if (act.type == policy::row_action::wait) {
            j->retrying = true;
            asio::co_spawn(io_, back_off(std::move(j), act.delay), [this](std::exception_ptr e) {
                if (e) fail_internal(e);
            });
            co_return;
        }
        if (act.fatal && act.reason != policy::row_end::endpoint_missing)
            stop(exit_refused, fatal_stop_message(j->fsm, j->last_message));
        end(std::move(j), act);
    } catch (...) {
        escaped = std::current_exception();
    }
    if (escaped) {
        fail_internal(escaped);
        if (j) end_failed(std::move(j), "the run stopped on an internal error: " + what_of(escaped));
    }
}

std::string pipeline::endpoint_missing_message(int status, const std::string& answer) const {
    return fmt::format("not sent: POST https://{}{} answered HTTP {} without the API's JSON envelope ({}): the "
                       "endpoint is not there; check --base-url",
                       p_.url.host_header, bulk_ ? "/client/v2/prospect-list/..." : p_.url.target, status,
                       answer.empty() ? "no message" : answer);
}

void pipeline::on_answer(const net::post_result& result, const policy::attempt_result& attempt,
                         clock::time_point sent_at, clock::time_point now) {
    const bool answered = result.outcome == net::post_result::kind::response;
    if (answered && result.status == 429) {
        ++throttled_;
        if (!throttled_since_) throttled_since_ = now;
    } else if (answered) {
        throttled_since_.reset();
    }
    p_.pace.on_answer(now, answered ? result.status : 0, attempt.retry_after, sent_at);
}

void pipeline::count_request(const net::post_result& result) {
    if (result.outcome == net::post_result::kind::response)
        requests_by_status_.add_status(result.status);
    else
        requests_by_status_.add_failure(result.outcome);
}

progress_snapshot pipeline::snapshot(clock::time_point now) const {
    progress_snapshot s;
    s.counts = counts_;
    s.rows_read = rows_read_;
    s.settled_early = settled_early_;
    s.reading_done = reading_done_;
    s.bytes_read = p_.source.bytes_consumed();
    s.input_size = p_.input_size;
    s.throttle_pause = std::max(clock::duration::zero(), p_.pace.paused_until() - now);
    s.effective_rate = p_.pace.rate();
    s.configured_rate = p_.cfg.rate;
    return s;
}

asio::awaitable<void> pipeline::back_off(job_ptr j, clock::duration delay) {
    // A wake before the sleep starts is not seen by it: look first.
    if (stop_.status != exit_ok || !co_await timed_.sleep_for(delay) || stop_.status != exit_ok) {
        auto stopped = *j->fsm.on_stop(clock::now());
        end(std::move(j), stopped);
        co_return;
    }
    co_await work_.async_send(boost::system::error_code{}, std::move(j), asio::use_awaitable);
}

void pipeline::end(job_ptr j, const policy::row_action& done) {
    auto message = done.reason == policy::row_end::stopped_before_send ? stop_.message
                                                                        : final_message(j->fsm, done, j->last_message);
    const int attempts = j->fsm.attempts();
    for (std::size_t i = 0; i < j->rows.size(); ++i) {
        attempts_ += static_cast<std::uint64_t>(attempts);
        if (attempts > 0) ++attempted_rows_;
        auto& m = j->rows[i];
        if (i < j->answers.size())
            finish(m.seq, {std::move(m.row), j->answers[i].result, j->last_status, attempts, j->answers[i].message});
        else
            finish(m.seq, {std::move(m.row), done.result, j->last_status, attempts, message});
    }
}

void pipeline::end_failed(job_ptr j, const std::string& message) {
    const int attempts = j->fsm.attempts();
    for (auto& m : j->rows) {
        attempts_ += static_cast<std::uint64_t>(attempts);
        if (attempts > 0) ++attempted_rows_;
        finish(m.seq, {std::move(m.row), outcome::failed, j->last_status, attempts, message});
    }
}

void pipeline::record_finished() {
    if (!p_.observer->has_unrecorded()) return;
    try {
        p_.observer->record_finished();
    } catch (const std::exception& e) {
        fail(exit_write_failed, e.what());
    }
}

void pipeline::finish(std::uint64_t seq, finished_row r) {
    counts_.add(r.outcome);
    if (p_.observer) {
        try {
            p_.observer->on_finished(r);
        } catch (const std::exception& e) {
            fail(exit_write_failed, e.what());
        }
    }
    window_.finish(seq, std::move(r));
    auto released = window_.release([this](const finished_row& f) {
        if (report_broken_) return;
        try {
            p_.report.write({.row = f.row.row,
                             .profile_url = f.row.profile_url,
                             .normalized_url = f.row.lead.normalized_url,
                             .campaign_id = f.row.lead.campaign_id,
                             .prospect_list_id = f.row.lead.list_id,
                             .outcome = f.outcome,
                             .http_status = f.http_status,
                             .attempts = f.attempts,
                             .message = f.message,
                             .move_duplicates = move_flag_of(f.row, f.outcome)});
        } catch (const std::exception& e) {
            report_broken_ = true;
            fail(exit_write_failed, e.what());
        }
    });
    if (released) progress_.wake_all();
}

}  // namespace prospect::app
