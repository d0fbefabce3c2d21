// flock(LOCK_EX | LOCK_NB) on `<journal>.lock`. flock locks belong to the open
// file description, so even a second open in the same process conflicts.
#include "prospect/journal/run_lock.hpp"

#include <cerrno>
#include <charconv>
#include <ctime>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

namespace prospect::journal {

std::string format_lock_holder(const lock_holder& holder) {
    return fmt::format("pid {}\nstarted {}\n", holder.pid, holder.started);
}

std::optional<lock_holder> parse_lock_holder(std::string_view text) {
    lock_holder h;
    bool have_pid = false, have_started = false;
    while (!text.empty()) {
        auto eol = text.find('\n');
        if (eol == std::string_view::npos) break;  // a line still being written
        auto line = text.substr(0, eol);
        text.remove_prefix(eol + 1);
        if (line.starts_with("pid ")) {
            auto v = line.substr(4);
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), h.pid);
            have_pid = ec == std::errc{} && p == v.data() + v.size() && h.pid > 0;
        } else if (line.starts_with("started ")) {
            h.started = line.substr(8);
            have_started = !h.started.empty();
        }
    }
    if (!have_pid || !have_started) return std::nullopt;
    return h;
}

std::string lock_held_message(std::string_view journal_path, const std::optional<lock_holder>& holder) {
    if (!holder)
        return fmt::format("another prospect-import run holds the lock on {} (it is just starting)",
                           journal_path);
    return fmt::format("another prospect-import run (PID {}, started {}) holds the lock on {}", holder->pid,
                       holder->started, journal_path);
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

std::string read_holder_text(int fd) {
    std::string text(256, '\0');
    ssize_t n;
    do n = ::pread(fd, text.data(), text.size(), 0);
    while (n < 0 && errno == EINTR);
    text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return text;
}

}  // namespace

run_lock::run_lock(const std::string& journal_path, std::chrono::system_clock::time_point started)
    : lock_path_(journal_path + ".lock") {
    fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open lock file " + lock_path_);
    int rc;
    do rc = ::flock(fd_, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int e = errno;
        std::string text = e == EWOULDBLOCK ? read_holder_text(fd_) : std::string{};
        ::close(fd_);
        if (e == EWOULDBLOCK) throw lock_held(lock_held_message(journal_path, parse_lock_holder(text)));
        throw std::system_error(e, std::generic_category(), "cannot lock " + lock_path_);
    }
    // The holder record is advisory (for the message); failing to write it does not stop the run.
    auto text = format_lock_holder({static_cast<long>(::getpid()), iso8601_utc(started)});
    if (::ftruncate(fd_, 0) == 0) {
        [[maybe_unused]] auto n = ::pwrite(fd_, text.data(), text.size(), 0);
    }
}

run_lock::~run_lock() { ::close(fd_); }

}  // namespace prospect::journal
