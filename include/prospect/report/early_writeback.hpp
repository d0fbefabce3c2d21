// When to start the disk on a report still being written. A file report is
// synced before it is renamed into place; left to itself the kernel writes
// little of it back before then, and the dry run of a million rows waited
// about 0.2 s in that fsync for 200 MB it could have written meanwhile.
// Every `step` bytes appended, the range appended since the last start is
// handed to the kernel's writeback (sync_file_range, which returns without
// waiting), so the final sync waits for at most `step` bytes.
#pragma once

#include <cstdint>
#include <optional>

namespace prospect::report {

struct byte_range {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool operator==(const byte_range&) const = default;
};

class early_writeback {
public:
    explicit early_writeback(std::uint64_t step) : step_(step) {}

    // `bytes` more were appended; the range to start writing back, once at
    // least `step` bytes wait.
    std::optional<byte_range> appended(std::uint64_t bytes) noexcept {
        written_ += bytes;
        if (step_ == 0 || written_ - started_ < step_) return std::nullopt;
        const byte_range due{started_, written_ - started_};
        started_ = written_;
        return due;
    }

private:
    std::uint64_t step_;
    std::uint64_t written_ = 0;  // bytes appended so far
    std::uint64_t started_ = 0;  // writeback started for [0, started_)
};

}  // namespace prospect::report
