// The pool's pace: over-limit signals from the 429 share of recent answers,
// the limit measured from the successes the server delivered, cruise just
// under it, probe above it now and then. docs/rate_control.md explains why.
#include "prospect/policy/rate_controller.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect::policy {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Only a 429 says "too fast". No HTTP answer, a timeout (408) or a server
// error (5xx) says nothing about the rate either way, so they are not counted.
bool says_nothing_of_rate(int status) { return status == 0 || status == 408 || (status >= 500 && status <= 599); }

}  // namespace

rate_controller::rate_controller(const rate_controller_params& params, clock::time_point now)
    : params_(params),
      bucket_(params.max_rate, params.burst, now),
      paused_until_(now),
      estimate_(infinity),
      phase_start_(now),
      phase_pace_(rate()),
      mark_(now) {}

bool rate_controller::limited() const noexcept { return params_.max_rate > 0 && !std::isinf(params_.max_rate); }

double rate_controller::rate() const noexcept { return bucket_.unlimited() ? infinity : bucket_.rate(); }

double rate_controller::clamp_pace(double pace) const noexcept {
    if (!limited()) return std::max(pace, params_.min_rate);
    return std::clamp(pace, std::min(params_.min_rate, params_.max_rate), params_.max_rate);
}

void rate_controller::start_phase(mode m, double pace, clock::time_point now) {
    mode_ = m;
    phase_pace_ = clamp_pace(pace);
    if (phase_pace_ != rate()) bucket_.set_rate(phase_pace_, now);
    phase_start_ = now;
    window_.clear();
    window_ok_ = 0;
    window_throttled_ = 0;
}

void rate_controller::cruise(clock::time_point now) {
    // A limit at or above --rate is no limit for this run.
    if (std::isinf(estimate_) || (limited() && estimate_ * params_.cruise_gain >= params_.max_rate)) {
        estimate_ = infinity;
        start_phase(mode::unknown, limited() ? params_.max_rate : infinity, now);
        return;
    }
    start_phase(mode::cruise, estimate_ * params_.cruise_gain, now);
}

void rate_controller::start_probe(clock::time_point now) {
    probe_end_ = now + params_.probe_time;
    probe_ok_ = 0;
    start_phase(mode::probe, estimate_ * probe_gain_, now);
}

rate_controller::clock::duration rate_controller::try_acquire(clock::time_point now) {
    if (now < paused_until_) return paused_until_ - now;
    if (mode_ == mode::cruise && now >= phase_start_ + params_.probe_interval) {
        probe_gain_ = params_.probe_gain;
        start_probe(now);
    }
    return bucket_.try_take(now);
}

// Successes per second the server gave the window's requests: the share of
// them it accepted times the rate they were sent at, which is the pace or,
// when the connections could not keep up with it, less (read from the spread
// of their send times).
double rate_controller::window_measure() const {
    const int n = window_ok_ + window_throttled_;
    auto [first, last] = std::minmax_element(window_.begin(), window_.end(),
                                             [](const answer& a, const answer& b) { return a.sent_at < b.sent_at; });
    const double span = seconds(last->sent_at - first->sent_at);
    const double sent_rate = span > 0 ? std::min(phase_pace_, (n - 1) / span) : phase_pace_;
    return sent_rate * window_ok_ / n;
}

answer_note rate_controller::saturated(clock::time_point now, std::optional<clock::duration> retry_after) {
    answer_note note;
    // The window's share of successes times the pace is the limit when the
    // server's bucket was empty all through the window: true of a pace the
    // pool held for a while (a cruise above a limit that fell), not of a
    // probe, whose first requests spent what the bucket saved while the pool
    // cruised under the limit. For a probe, what the server delivered since
    // the last saturation says more: its bucket went from empty to empty, so
    // that is its limit (or a little less, if the bucket filled up meanwhile;
    // the cruise then climbs a little each probe). Without such an interval a
    // failed probe only says the limit lies below its pace: the estimate stays.
    double limit = window_measure();
    if (mode_ == mode::probe) {
        if (mark_valid_ && now - mark_ >= params_.min_cycle)
            limit = std::min(limit, static_cast<double>(ok_since_mark_) / seconds(now - mark_));
        else
            limit = estimate_;
    }
    mark_valid_ = true;
    mark_ = now;
    ok_since_mark_ = 0;

    const bool nothing_accepted = window_ok_ == 0;
    const double before = rate();
    estimate_ = std::max(limit, std::min(params_.min_rate, limited() ? params_.max_rate : infinity));
    // Requests sent at the old pace are still on their way and will empty
    // the server's bucket: a round trip below the limit refills it a little,
    // or the first requests at the new pace would be answered 429 (BBR's drain).
    start_phase(mode::drain, estimate_ * params_.drain_gain, now);
    note.rate_lowered = rate() < before;

    // Nothing got through: the server is closed for now, not merely busy.
    // Pausing the pool for what it asked (capped) spares the retry budgets.
    if (nothing_accepted && retry_after && *retry_after > clock::duration::zero()) {
        note.pause = std::min(*retry_after, params_.max_pause);
        note.pause_capped = *retry_after > params_.max_pause;
        if (now + note.pause > paused_until_) {
            paused_until_ = now + note.pause;
            bucket_.hold_until(paused_until_, 1);
        }
    }
    note.rate = rate();
    note.estimated_limit = estimate_;
    return note;
}

answer_note rate_controller::on_answer(clock::time_point now, int status, std::optional<clock::duration> retry_after,
                                       clock::time_point sent_at) {
    answer_note note;
    note.rate = rate();
    note.estimated_limit = estimate_;
    if (says_nothing_of_rate(status)) return note;
    const bool ok = status != 429;
    if (ok) ++ok_since_mark_;
    if (sent_at < phase_start_) return note;
    if (mode_ == mode::drain) {
        // A request sent during the drain is answered: one round trip is over.
        cruise(now);
        note.rate = rate();
        return note;
    }

    window_.push_back({now, sent_at, ok});
    (ok ? window_ok_ : window_throttled_)++;
    while (window_.front().at < now - params_.signal_window) {
        (window_.front().ok ? window_ok_ : window_throttled_)--;
        window_.pop_front();
    }
    if (mode_ == mode::probe && ok && sent_at < probe_end_) ++probe_ok_;

    const int answers = window_ok_ + window_throttled_;
    if (window_throttled_ >= params_.min_throttled && answers >= params_.min_answers &&
        window_throttled_ >= params_.min_throttled_share * answers)
        return saturated(now, retry_after);

    if (mode_ == mode::probe && sent_at >= probe_end_) {
        // Every request of the probe is answered and the server took the pace:
        // the limit is at least what it delivered. Probe again at once, with
        // a bigger step, until it objects.
        const double delivered = static_cast<double>(probe_ok_) / seconds(params_.probe_time);
        const double step = estimate_ * (probe_gain_ - 1);
        const bool grew = delivered > estimate_ + step / 2;
        estimate_ = std::max(estimate_, delivered);
        // Accepted at --rate itself, or at all the pool could send: there is
        // no limit within reach.
        if (!grew || (limited() && phase_pace_ >= params_.max_rate)) estimate_ = infinity;
        mark_valid_ = false;
        if (grew && !std::isinf(estimate_) && !(limited() && estimate_ * params_.cruise_gain >= params_.max_rate)) {
            probe_gain_ = std::min(params_.max_probe_gain, 1 + 2 * (probe_gain_ - 1));
            start_probe(now);
        } else {
            cruise(now);
        }
        note.rate_raised = rate() > note.rate;
    }
    note.rate = rate();
    note.estimated_limit = estimate_;
    return note;
}

}  // namespace prospect::policy
