// Introspection of the API traffic: request counts by status for
// GET /_sandbox/stats (what the sandbox answered or dropped) and the POST
// timeline for GET /_sandbox/timeline (when they arrived), so that tests and
// benchmarks can check the load and a client's rate limiting exactly.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace prospect::sandbox {

class request_stats {
public:
    void count(int status) noexcept;
    void count_drop() noexcept { ++dropped_; }

    std::uint64_t of(int status) const noexcept;
    std::uint64_t dropped() const noexcept { return dropped_; }
    // Answered plus dropped.
    std::uint64_t total() const noexcept;

    // {"requests":N,"byStatus":{"201":n,...},"dropped":n}, appended to `out`.
    void append_json(std::string& out) const;

private:
    std::array<std::uint64_t, 600> by_status_{};  // 100..599; other values count as 0
    std::uint64_t dropped_ = 0;
};

// Arrival times of POSTs, kept as counts per second since the first one and
// the largest count in any one-second window (sliding, not only aligned to
// those seconds). Memory grows with the run's length in seconds and its peak
// rate, not with the number of requests.
class post_timeline {
public:
    using clock = std::chrono::steady_clock;

    // Arrival times must not go backwards (one thread, a steady clock).
    void record(clock::time_point at);

    std::uint64_t posts() const noexcept { return posts_; }
    // The most POSTs within any half-open interval [t, t + 1 s).
    std::uint64_t max_in_any_second() const noexcept { return max_in_window_; }
    // Element i counts the POSTs in [first + i s, first + (i + 1) s).
    const std::vector<std::uint32_t>& per_second() const noexcept { return per_second_; }
    // From the first POST to the last.
    std::chrono::microseconds span() const noexcept;

    // {"posts":N,"spanUs":n,"maxInAnySecond":n,"perSecond":[n,...]}, appended to `out`.
    void append_json(std::string& out) const;

private:
    clock::time_point first_{};
    clock::time_point last_{};
    std::uint64_t posts_ = 0;
    std::uint64_t max_in_window_ = 0;
    std::vector<std::uint32_t> per_second_;
    std::deque<clock::time_point> window_;  // the POSTs of the last second
};

}  // namespace prospect::sandbox
