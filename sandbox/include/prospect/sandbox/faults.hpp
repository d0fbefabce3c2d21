// Fault injection: which API requests get a 5xx or a stray 429, which lose
// their connection, and how long each waits. Draws come from seeded generators,
// so the same seed and the same order of requests give the same faults.
#pragma once

#include <chrono>
#include <cstdint>

namespace prospect::sandbox {

struct fault_params {
    // Share (0..1) of requests answered 500, 502 or 503.
    double fail_rate = 0;
    // Share (0..1) of requests whose connection is closed without a response.
    double drop_rate = 0;
    // Share (0..1) of requests answered 429 (whatever the rate limit).
    double throttle_rate = 0;
    // Added latency in milliseconds, uniform over [min, max].
    int latency_min_ms = 0, latency_max_ms = 0;
    // Seed of both generators.
    std::uint64_t seed = 1;
};

enum class fault_kind : unsigned char { none, fail, drop, throttle };

struct fault {
    fault_kind kind = fault_kind::none;
    int status = 0;  // 500, 502 or 503 when kind == fail
};

// splitmix64: tiny, fast, and the same on every platform (the standard
// distributions are not), which is what makes a seed a repeatable run.
class seeded_random {
public:
    explicit seeded_random(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept;
    // Uniform in [0, 1).
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t state_;
};

class fault_injector {
public:
    explicit fault_injector(const fault_params& params) noexcept;

    // For every API request, in arrival order. Its own generator, so that a
    // 401 or 429 (which take a latency but no fault) leaves the fault
    // sequence of the accepted requests unchanged.
    std::chrono::milliseconds next_latency() noexcept;
    // For each request that passed the key and rate checks, in arrival order.
    fault next_fault() noexcept;

private:
    fault_params params_;
    seeded_random latency_random_;
    seeded_random fault_random_;
};

}  // namespace prospect::sandbox
