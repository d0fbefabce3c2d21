// One row's lifecycle: classify each attempt, decide retry or end, and keep
// the counts the report shows.
#include "prospect/policy/row_fsm.hpp"

#include <algorithm>

namespace prospect::policy {

namespace {

long long whole_seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

row_action row_fsm::send_next() {
    state_ = state::sending;
    ++attempts_;
    return {row_action::send};
}

row_action row_fsm::wait_for(clock::duration delay) {
    state_ = state::waiting;
    return {row_action::wait, std::max(clock::duration::zero(), delay)};
}

row_action row_fsm::finish(outcome result, row_end reason, bool fatal) {
    state_ = state::finished;
    reason_ = reason;
    return {row_action::done, {}, result, fatal, reason};
}

row_action row_fsm::start(clock::time_point) {
    if (stop_requested_) return finish(outcome::not_sent, row_end::stopped_before_send);
    return send_next();
}

row_action row_fsm::on_wait_done(clock::time_point) {
    if (stop_requested_) return finish(outcome::failed, row_end::stopped_while_waiting);
    return send_next();
}

std::optional<row_action> row_fsm::on_stop(clock::time_point) {
    stop_requested_ = true;
    switch (state_) {
    case state::idle: return finish(outcome::not_sent, row_end::stopped_before_send);
    case state::waiting: return finish(outcome::failed, row_end::stopped_while_waiting);
    case state::sending: return std::nullopt;
    case state::finished: return std::nullopt;
    }
    return std::nullopt;
}

row_action row_fsm::on_pool_throttled_too_long(clock::time_point) {
    return finish(outcome::failed, row_end::throttled_too_long);
}

row_action row_fsm::on_endpoint_missing(int status, clock::time_point) {
    last_kind_ = attempt_kind::response;
    last_status_ = status;
    return finish(outcome::failed, row_end::endpoint_missing, true);
}

row_fsm::clock::duration row_fsm::retry_after_floor(const attempt_result& result) const noexcept {
    if (!result.retry_after) return clock::duration::zero();
    return std::clamp(*result.retry_after, clock::duration::zero(), params_.max_retry_after);
}

row_action row_fsm::on_result(const attempt_result& result, clock::time_point now) {
    // A failed connect or handshake sent no request: no attempt is counted.
    if (result.kind == attempt_kind::connect_failed || result.kind == attempt_kind::tls_failed ||
        result.kind == attempt_kind::tls_verify_failed)
        --attempts_;
    last_kind_ = result.kind;
    if (result.kind == attempt_kind::response) last_status_ = result.status;

    switch (classify(result)) {
    case verdict::success:
        if (budget_) budget_->on_success(last_cost_);
        return finish(outcome::added, row_end::added);
    case verdict::reject: return finish(outcome::rejected, row_end::rejected);
    case verdict::fatal:
        if (result.kind == attempt_kind::response) return finish(outcome::failed, row_end::key_refused, true);
        // The handshake failed: no request left, so the row is not_sent
        // like the rest (docs/contract.md's outcome table).
        return finish(outcome::not_sent, row_end::certificate_failed, true);
    case verdict::give_up: return finish(outcome::failed, row_end::not_retryable);
    case verdict::throttle:
        if (stop_requested_) return finish(outcome::failed, row_end::stopped_while_waiting);
        return on_throttled(result, now);
    case verdict::retry:
        if (stop_requested_) return finish(outcome::failed, row_end::stopped_while_waiting);
        return on_transient(result);
    }
    return finish(outcome::failed, row_end::not_retryable);
}

row_action row_fsm::on_throttled(const attempt_result& result, clock::time_point now) {
    if (!first_throttle_) first_throttle_ = now;
    const auto deadline = *first_throttle_ + params_.max_throttle_wait;
    if (now >= deadline) return finish(outcome::failed, row_end::throttled_too_long);
    // The jitter may be cut short to make a last attempt at the deadline;
    // the server's Retry-After may not, so one reaching past it ends the row.
    const auto jitter = std::min(backoff_.delay(backoff_kind::throttle, throttles_++), deadline - now);
    const auto delay = std::max(jitter, retry_after_floor(result));
    if (now + delay > deadline) return finish(outcome::failed, row_end::throttled_too_long);
    return wait_for(delay);
}

row_action row_fsm::on_transient(const attempt_result& result) {
    if (retries_ >= params_.max_retries) return finish(outcome::failed, row_end::retries_exhausted);
    if (budget_) {
        const auto& p = budget_->params();
        const int cost = result.kind == attempt_kind::timed_out ? p.timeout_cost : p.retry_cost;
        if (!budget_->try_spend(cost)) return finish(outcome::failed, row_end::retry_budget_exhausted);
        last_cost_ = cost;
    }
    const auto delay = std::max(backoff_.delay(backoff_kind::transient, retries_++), retry_after_floor(result));
    return wait_for(delay);
}

std::string row_fsm::describe() const {
    const auto attempts = std::to_string(attempts_) + (attempts_ == 1 ? " attempt" : " attempts");
    const auto last = last_kind_ == attempt_kind::response ? std::to_string(last_status_)
                                                           : std::string(to_string(last_kind_));
    switch (reason_) {
    case row_end::none:
    case row_end::added: return {};
    case row_end::rejected: return "rejected by the API (HTTP " + std::to_string(last_status_) + ")";
    case row_end::retries_exhausted:
        if (attempts_ == 0)
            return "gave up after " + std::to_string(retries_ + 1) + " tries, none of which reached the API: last " +
                   last;
        return "gave up after " + attempts + ": last " + last;
    case row_end::throttled_too_long:
        return "throttled (429) for longer than --max-throttle-wait " +
               std::to_string(whole_seconds(params_.max_throttle_wait)) + " s";
    case row_end::retry_budget_exhausted:
        return "gave up after " + attempts + ": last " + last +
               "; the run's retry budget is spent (too many failures across rows)";
    case row_end::not_retryable: return "unexpected " + (last_kind_ == attempt_kind::response ? "HTTP " + last : last) +
                                        "; not retried";
    case row_end::key_refused: return "the API refused the key (HTTP " + std::to_string(last_status_) + "); run stopped";
    case row_end::certificate_failed: return "the server's certificate failed verification; run stopped";
    case row_end::stopped_while_waiting: return "run stopped while the row waited to retry";
    case row_end::stopped_before_send: return "run stopped before the row was sent";
    case row_end::endpoint_missing:
        return "the endpoint is not there (HTTP " + std::to_string(last_status_) +
               " without the API's envelope): check --base-url; run stopped";
    }
    return {};
}

std::string_view to_string(row_end reason) noexcept {
    switch (reason) {
    case row_end::none: return "none";
    case row_end::added: return "added";
    case row_end::rejected: return "rejected";
    case row_end::retries_exhausted: return "retries_exhausted";
    case row_end::throttled_too_long: return "throttled_too_long";
    case row_end::retry_budget_exhausted: return "retry_budget_exhausted";
    case row_end::not_retryable: return "not_retryable";
    case row_end::key_refused: return "key_refused";
    case row_end::certificate_failed: return "certificate_failed";
    case row_end::stopped_while_waiting: return "stopped_while_waiting";
    case row_end::stopped_before_send: return "stopped_before_send";
    case row_end::endpoint_missing: return "endpoint_missing";
    }
    return "?";
}

}  // namespace prospect::policy
