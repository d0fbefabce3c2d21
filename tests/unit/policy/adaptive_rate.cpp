// The pool's rate: AWS-adaptive-style decrease on 429, CUBIC-shaped regrowth capped
// at --rate, a measured send rate so that cuts bite, and Retry-After pauses.
#include "adaptive_rate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prospect::policy {

namespace {

// The send rate is counted in half-second windows and smoothed, weighting the
// latest window 0.8 (the AWS SDK's numbers): quick to follow, not jumpy.
constexpr auto measure_window = std::chrono::milliseconds(500);
constexpr double measure_smoothing = 0.8;

constexpr double infinity = std::numeric_limits<double>::infinity();

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

adaptive_rate::adaptive_rate(const adaptive_rate_params& params, clock::time_point now)
    : params_(params), bucket_(params.max_rate, params.burst, now), paused_until_(now), window_start_(now) {}

double adaptive_rate::rate() const noexcept { return bucket_.unlimited() ? infinity : bucket_.rate(); }

double adaptive_rate::floor_rate() const noexcept {
    const bool limited = params_.max_rate > 0 && !std::isinf(params_.max_rate);
    return limited ? std::min(params_.min_rate, params_.max_rate) : params_.min_rate;
}

void adaptive_rate::count_send(clock::time_point now) {
    if (now >= window_start_ + measure_window) {
        const double elapsed = seconds(now - window_start_);
        const double current = window_sends_ / elapsed;
        measured_rate_ = measure_smoothing * current + (1 - measure_smoothing) * measured_rate_;
        window_start_ = now;
        window_sends_ = 0;
    }
    ++window_sends_;
}

void adaptive_rate::apply_rate(double rate, clock::time_point now) { bucket_.set_rate(rate, now); }

adaptive_rate::clock::duration adaptive_rate::try_acquire(clock::time_point now) {
    if (now < paused_until_) return paused_until_ - now;
    const auto wait = bucket_.try_take(now);
    if (wait == clock::duration::zero()) count_send(now);
    return wait;
}

void adaptive_rate::on_success(clock::time_point now) {
    if (!throttled_) return;
    const double k = recovery_seconds_;
    const double x = (seconds(now - last_decrease_) - k) / k;
    double next = rate_at_decrease_ * (1 + (1 - params_.decrease_factor) * x * x * x);
    // Growing far past what is actually being sent would only store up a
    // burst for the next overload.
    if (measured_rate_ > 0) next = std::min(next, 2 * measured_rate_);
    next = std::max(next, floor_rate());
    const bool limited = params_.max_rate > 0 && !std::isinf(params_.max_rate);
    if (limited && next >= params_.max_rate) {
        throttled_ = false;
        next = params_.max_rate;
    }
    // A smaller step than this is noise; skipping it keeps the bucket's
    // arithmetic from being redone on every response.
    if (!throttled_ || std::abs(next - rate()) >= 1e-3 * std::max(1.0, next)) apply_rate(next, now);
}

throttle_note adaptive_rate::pause_for(clock::time_point now, clock::duration retry_after) {
    throttle_note note;
    note.requested_pause = std::max(clock::duration::zero(), retry_after);
    note.pause = std::min(note.requested_pause, params_.max_pause);
    note.pause_capped = note.requested_pause > params_.max_pause;
    if (now + note.pause > paused_until_) {
        paused_until_ = now + note.pause;
        // One request may go when the pause ends, the rest at the rate.
        bucket_.hold_until(paused_until_, 1);
    }
    note.rate = rate();
    return note;
}

throttle_note adaptive_rate::on_throttled(clock::time_point now, std::optional<clock::duration> retry_after) {
    throttle_note note = pause_for(now, retry_after.value_or(clock::duration::zero()));
    if (throttled_ && now - last_decrease_ < params_.decrease_holdoff) return note;

    double base = rate();
    if (measured_rate_ > 0) {
        base = std::min(base, measured_rate_);
    } else if (std::isinf(base)) {
        // Unlimited and throttled before the first window closed: the sends
        // counted so far are the only measure there is.
        const double so_far = window_sends_ / std::max(seconds(now - window_start_), seconds(measure_window));
        base = std::max(floor_rate(), so_far);
    }
    rate_at_decrease_ = base;
    recovery_seconds_ = std::max(seconds(params_.recovery_time), params_.recovery_requests / base);
    last_decrease_ = now;
    throttled_ = true;
    apply_rate(std::max(floor_rate(), base * params_.decrease_factor), now);

    note.rate_lowered = true;
    note.rate = rate();
    return note;
}

}  // namespace prospect::policy
