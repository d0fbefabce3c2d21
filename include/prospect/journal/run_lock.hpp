// One run per journal: an exclusive flock on `<journal>.lock` (a separate file:
// the journal is truncated by --restart), into which the holder writes its PID
// and start time so that a second run can name it. The kernel drops the lock
// when the holder exits, even on kill -9. Take it before opening the journal.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace prospect::journal {

// Another run holds the lock (exit status 4); what() names it.
class lock_held : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct lock_holder {
    long pid = 0;
    std::string started;  // ISO 8601, UTC
    friend bool operator==(const lock_holder&, const lock_holder&) = default;
};

// The lock file's text: "pid 1234\nstarted 2026-11-27T10:00:00Z\n".
std::string format_lock_holder(const lock_holder& holder);
// nullopt when the text is empty or incomplete (the holder has not written it yet).
std::optional<lock_holder> parse_lock_holder(std::string_view text);
std::string lock_held_message(std::string_view journal_path, const std::optional<lock_holder>& holder);
std::string iso8601_utc(std::chrono::system_clock::time_point t);

class run_lock {
public:
    // Takes the lock at once or throws lock_held; std::system_error when the
    // lock file cannot be opened. The lock file is never removed: unlinking a
    // lock file races with a run that has just opened it.
    run_lock(const std::string& journal_path, std::chrono::system_clock::time_point started);
    ~run_lock();
    run_lock(const run_lock&) = delete;
    run_lock& operator=(const run_lock&) = delete;

    const std::string& lock_path() const { return lock_path_; }

private:
    std::string lock_path_;
    int fd_ = -1;
};

}  // namespace prospect::journal
