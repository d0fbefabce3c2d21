// Full-jitter exponential backoff (the AWS SDK "standard" numbers):
// delay = uniform(0, min(cap, base * 2^attempt)), with its own small seeded
// generator so that a run is repeatable and a row's state stays a few bytes.
#pragma once

#include <chrono>
#include <cstdint>

namespace prospect::policy {

// splitmix64: eight bytes of state, and the same sequence on every platform
// (the standard distributions are not specified bit for bit).
class jitter_rng {
public:
    explicit jitter_rng(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept;
    // Uniform in [0, 1).
    double unit() noexcept;

private:
    std::uint64_t state_;
};

enum class backoff_kind : unsigned char {
    /// Connection reset, timeout, 5xx, 408.
    transient,
    /// 429: the server asked us to slow down.
    throttle,
};

struct backoff_params {
    /// Ceiling of the first transient retry's delay.
    std::chrono::steady_clock::duration transient_base = std::chrono::milliseconds(100);
    /// Ceiling of the first throttled retry's delay.
    std::chrono::steady_clock::duration throttle_base = std::chrono::seconds(1);
    /// No delay exceeds this, whatever the attempt.
    std::chrono::steady_clock::duration cap = std::chrono::seconds(20);
};

// min(cap, base * 2^attempt), without overflow for any attempt >= 0.
std::chrono::steady_clock::duration backoff_ceiling(std::chrono::steady_clock::duration base, int attempt,
                                                    std::chrono::steady_clock::duration cap) noexcept;

class backoff {
public:
    using clock = std::chrono::steady_clock;

    backoff(const backoff_params& params, std::uint64_t seed) noexcept : params_(params), rng_(seed) {}

    // The delay before retry number `attempt` (0 for the first) of this kind.
    clock::duration delay(backoff_kind kind, int attempt) noexcept;

    const backoff_params& params() const noexcept { return params_; }

private:
    backoff_params params_;
    jitter_rng rng_;
};

}  // namespace prospect::policy
