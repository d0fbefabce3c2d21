// One row's lifecycle as a pure machine (after Boost.MySQL/Boost.Redis): it
// says send, wait or done, and the I/O driver performs that and reports
// back. Counting attempts, backoff, Retry-After floors, the throttle
// deadline, the retry budget and stop requests all live here.
#pragma once

#include "prospect/policy/backoff.hpp"
#include "prospect/policy/classify.hpp"
#include "prospect/policy/outcome.hpp"
#include "prospect/policy/retry_budget.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace prospect::policy {

struct row_params {
    /// --max-retries: retries after the first attempt for transient failures; 429s do not count.
    int max_retries = 5;
    /// --max-throttle-wait: how long after its first 429 a row may keep getting 429.
    std::chrono::steady_clock::duration max_throttle_wait = std::chrono::seconds(600);
    /// A longer Retry-After is taken as this (the pool caps its pause alike).
    std::chrono::steady_clock::duration max_retry_after = std::chrono::seconds(120);
    /// Backoff bases and cap.
    backoff_params backoff;
};

// Why a row ended; describe() turns it into the report's message.
enum class row_end : unsigned char {
    none,
    added,
    rejected,
    retries_exhausted,
    throttled_too_long,
    retry_budget_exhausted,
    not_retryable,
    key_refused,
    certificate_failed,
    stopped_while_waiting,
    stopped_before_send,
    endpoint_missing,
};

struct row_action {
    enum type_t : unsigned char {
        /// Take a token from the pool's limiter, send, then call on_result().
        send,
        /// Sleep `delay` (off any connection), then call on_wait_done().
        wait,
        /// Finished: report `result`.
        done,
    };
    type_t type = send;
    /// For wait: how long.
    std::chrono::steady_clock::duration delay{};
    /// For done: the row's outcome.
    outcome result = outcome::not_sent;
    /// For done: the run must stop now (401/403, certificate verification).
    bool fatal = false;
    /// For done: why.
    row_end reason = row_end::none;
};

class row_fsm {
public:
    using clock = std::chrono::steady_clock;

    // `budget` is the pool's shared retry budget; nullptr for none.
    row_fsm(const row_params& params, std::uint64_t seed, retry_budget* budget = nullptr) noexcept
        : params_(params), backoff_(params.backoff, seed), budget_(budget) {}

    row_action start(clock::time_point now);
    row_action on_result(const attempt_result& result, clock::time_point now);
    row_action on_wait_done(clock::time_point now);

    // The run is stopping. Before the first send the row ends not_sent; while
    // it waits to retry it ends failed. While a request is in flight this
    // returns nothing: the result decides (a success still counts, a retry
    // does not happen).
    std::optional<row_action> on_stop(clock::time_point now);

    // The pool has been answered nothing but 429 for longer than
    // --max-throttle-wait: a row about to wait for its turn ends failed
    // instead, so that the bound holds for the run and not only per row.
    row_action on_pool_throttled_too_long(clock::time_point now);

    // A 404 or 405 that is not the API's envelope answered the request: the
    // endpoint is not there (a wrong --base-url). The row ends failed (a
    // later run with the right URL sends it) and the run stops.
    row_action on_endpoint_missing(int status, clock::time_point now);

    // Requests sent for this row.
    int attempts() const noexcept { return attempts_; }
    // The last HTTP status seen, 0 if none.
    int last_status() const noexcept { return last_status_; }
    bool finished() const noexcept { return state_ == state::finished; }
    row_end reason() const noexcept { return reason_; }

    // The report's message for a finished row ("gave up after 6 attempts:
    // last 503"); empty for an added row. A rejected row's message should be
    // the API's own; this is the fallback when it sent none.
    std::string describe() const;

private:
    enum class state : unsigned char { idle, sending, waiting, finished };

    row_action send_next();
    row_action wait_for(clock::duration delay);
    row_action finish(outcome result, row_end reason, bool fatal = false);
    row_action on_throttled(const attempt_result& result, clock::time_point now);
    row_action on_transient(const attempt_result& result);
    clock::duration retry_after_floor(const attempt_result& result) const noexcept;

    row_params params_;
    backoff backoff_;
    retry_budget* budget_;

    state state_ = state::idle;
    bool stop_requested_ = false;
    int attempts_ = 0;
    int retries_ = 0;
    int throttles_ = 0;
    int last_status_ = 0;
    attempt_kind last_kind_ = attempt_kind::response;
    int last_cost_ = 0;
    std::optional<clock::time_point> first_throttle_;
    row_end reason_ = row_end::none;
};

std::string_view to_string(row_end reason) noexcept;

}  // namespace prospect::policy
