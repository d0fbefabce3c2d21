// Request counts by status for GET /_sandbox/stats: what the sandbox
// answered (or dropped), so that tests and benchmarks can check the load.
#pragma once

#include <array>
#include <cstdint>
#include <string>

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

}  // namespace prospect::sandbox
