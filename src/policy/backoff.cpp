// Full-jitter backoff and its generator.
#include "prospect/policy/backoff.hpp"

#include <algorithm>

namespace prospect::policy {

std::uint64_t jitter_rng::next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double jitter_rng::unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::chrono::steady_clock::duration backoff_ceiling(std::chrono::steady_clock::duration base, int attempt,
                                                    std::chrono::steady_clock::duration cap) noexcept {
    if (base <= base.zero() || cap <= cap.zero()) return std::max(cap.zero(), std::min(base, cap));
    auto ceiling = base;
    // Doubling stops at the cap, so it never overflows.
    for (int i = 0; i < attempt && ceiling < cap; ++i) ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
    return std::min(ceiling, cap);
}

backoff::clock::duration backoff::delay(backoff_kind kind, int attempt) noexcept {
    const auto base = kind == backoff_kind::throttle ? params_.throttle_base : params_.transient_base;
    const auto ceiling = backoff_ceiling(base, std::max(0, attempt), params_.cap);
    return clock::duration(static_cast<clock::rep>(rng_.unit() * static_cast<double>(ceiling.count())));
}

}  // namespace prospect::policy
