// Token bucket arithmetic. Time points are integers (nanoseconds), so the
// elapsed time is exact and floating point enters only when it is turned into
// tokens; nothing accumulates rounding across operations but the balance.
#include "prospect/policy/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace prospect::policy {

namespace {

// Longest wait we ever return; keeps duration arithmetic far from overflow
// for absurdly small rates.
constexpr auto max_wait = std::chrono::hours(24 * 365 * 10);

bool is_unlimited(double rate) { return !(rate > 0) || std::isinf(rate); }

}  // namespace

token_bucket::token_bucket(double rate_per_second, double burst, clock::time_point now)
    : rate_(rate_per_second),
      burst_(std::isnan(burst) ? 1.0 : std::max(1.0, burst)),
      unlimited_(is_unlimited(rate_per_second)),
      tokens_(burst_),
      last_(now) {}

double token_bucket::tokens(clock::time_point now) const noexcept {
    if (unlimited_) return burst_;
    if (now <= last_) return tokens_;
    const double room = burst_ - tokens_;
    if (room <= 0) return tokens_;
    // Compare in time rather than multiplying first: a jump of years at a high
    // rate must not overflow into infinity or lose the balance's precision.
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed >= room / rate_) return burst_;
    return std::min(burst_, tokens_ + elapsed * rate_);
}

void token_bucket::advance(clock::time_point now) noexcept {
    tokens_ = tokens(now);
    // A caller on a stale reading of the clock must not move time backwards,
    // or the same interval would be credited twice.
    last_ = std::max(last_, now);
}

// Tokens and waits make a round trip through floating point (wait = missing /
// rate, then earned = elapsed * rate), which can land a few ulps either side
// of the exact value. A token due within half a nanosecond counts as here, and
// a wait within a quarter nanosecond of a whole one is rounded to it, so that
// a caller who waits exactly as told is admitted, and is not told to wait 1 ns
// more. Neither accumulates: the balance itself is always exact arithmetic.
double token_bucket::slack() const noexcept { return std::max(1e-12, rate_ * 0.5e-9); }

token_bucket::clock::duration token_bucket::time_to(double missing_tokens) const noexcept {
    const double ns = missing_tokens / rate_ * 1e9;
    if (!(ns < std::chrono::duration<double, std::nano>(max_wait).count()))
        return std::chrono::duration_cast<clock::duration>(max_wait);
    const double nearest = std::nearbyint(ns);
    const double whole = std::abs(ns - nearest) <= 0.25 ? nearest : std::ceil(ns);
    const auto wait = std::chrono::ceil<clock::duration>(std::chrono::duration<double, std::nano>(whole));
    return std::max(clock::duration(1), wait);
}

// The balance is as of last_, which a hold or a later caller may have put
// after `now`; tokens still to come accrue only from there.
token_bucket::clock::duration token_bucket::not_before(clock::time_point now) const noexcept {
    return std::max(clock::duration::zero(), last_ - now);
}

token_bucket::clock::duration token_bucket::try_take(clock::time_point now) {
    if (unlimited_) return clock::duration::zero();
    advance(now);
    if (tokens_ >= 1.0 - slack()) {
        tokens_ -= 1.0;
        return clock::duration::zero();
    }
    return not_before(now) + time_to(1.0 - tokens_);
}

token_bucket::clock::duration token_bucket::reserve(clock::time_point now) {
    if (unlimited_) return clock::duration::zero();
    advance(now);
    tokens_ -= 1.0;
    if (tokens_ >= -slack()) return clock::duration::zero();
    return not_before(now) + time_to(-tokens_);
}

void token_bucket::cancel_reservation(clock::time_point now) {
    if (unlimited_) return;
    advance(now);
    tokens_ = std::min(burst_, tokens_ + 1.0);
}

void token_bucket::hold_until(clock::time_point at, double max_tokens) {
    if (unlimited_) return;
    advance(at);
    tokens_ = std::min(tokens_, max_tokens);
}

void token_bucket::set_rate(double rate_per_second, clock::time_point now) {
    advance(now);
    rate_ = rate_per_second;
    unlimited_ = is_unlimited(rate_per_second);
    // Leaving unlimited mode starts from a full bucket, as a fresh one would.
    if (unlimited_) tokens_ = burst_;
}

}  // namespace prospect::policy
