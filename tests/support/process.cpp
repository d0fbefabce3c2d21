// posix_spawn with pipes; poll() drains stdout and stderr together so that
// a chatty child never blocks on a full pipe.
#include "support/process.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <thread>
#include <utility>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace prospect::test {
namespace {

std::vector<std::string> make_env(const run_options& options) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string entry = *e;
        auto name = entry.substr(0, entry.find('='));
        bool drop = false;
        for (auto& u : options.unset) drop |= (u == name);
        for (auto& kv : options.env) drop |= (kv.substr(0, kv.find('=')) == name);
        if (!drop) env.push_back(entry);
    }
    for (auto& kv : options.env) env.push_back(kv);
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    for (auto& s : v) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int decode_status(int raw) {
    if (WIFEXITED(raw)) return WEXITSTATUS(raw);
    if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
    return -1;
}

// Waits for pid; returns its peak RSS in KiB.
long reap(int pid, int& raw) {
    rusage usage{};
    while (::wait4(pid, &raw, 0, &usage) < 0 && errno == EINTR) {}
    return usage.ru_maxrss;
}

struct pipe_pair {
    int fd[2] = {-1, -1};
    pipe_pair() {
        if (::pipe2(fd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    }
};

// Spawns argv with the given pipes as its standard streams (-1: inherit).
int spawn(const std::vector<std::string>& argv, const run_options& options, int in, int out, int err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (in >= 0) posix_spawn_file_actions_adddup2(&actions, in, 0);
    if (out >= 0) posix_spawn_file_actions_adddup2(&actions, out, 1);
    if (err >= 0) posix_spawn_file_actions_adddup2(&actions, err, 2);
    if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
    auto args = argv;
    auto env = make_env(options);
    auto c_args = c_strings(args);
    auto c_env = c_strings(env);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, c_args[0], &actions, nullptr, c_args.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot spawn " + argv[0] + ": " + std::strerror(rc));
    return pid;
}

}  // namespace

run_result run(const std::vector<std::string>& argv, const run_options& options) {
    pipe_pair in, out, err;
    int pid = spawn(argv, options, in.fd[0], out.fd[1], err.fd[1]);
    ::close(in.fd[0]);
    ::close(out.fd[1]);
    ::close(err.fd[1]);

    std::string input = options.input.value_or("");
    std::size_t written = 0;
    int in_fd = in.fd[1];
    if (input.empty()) {
        ::close(in_fd);
        in_fd = -1;
    } else {
        ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
    }
    ::signal(SIGPIPE, SIG_IGN);

    run_result result;
    int fds[2] = {out.fd[0], err.fd[0]};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_count = 2;
    char buf[65536];
    while (open_count > 0 || in_fd >= 0) {
        pollfd p[3];
        int n = 0;
        int index[3];
        for (int i = 0; i < 2; ++i)
            if (fds[i] >= 0) { p[n] = {fds[i], POLLIN, 0}; index[n++] = i; }
        if (in_fd >= 0) { p[n] = {in_fd, POLLOUT, 0}; index[n++] = 2; }
        if (::poll(p, n, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < n; ++k) {
            if (!p[k].revents) continue;
            if (index[k] == 2) {
                ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
                if (w > 0) written += w;
                if (w < 0 && errno != EAGAIN) written = input.size();
                if (written == input.size()) { ::close(in_fd); in_fd = -1; }
                continue;
            }
            int i = index[k];
            ssize_t r = ::read(fds[i], buf, sizeof buf);
            if (r > 0) {
                sinks[i]->append(buf, r);
            } else if (r == 0 || errno != EINTR) {
                ::close(fds[i]);
                fds[i] = -1;
                --open_count;
            }
        }
    }
    int raw = 0;
    result.peak_rss_kb = reap(pid, raw);
    result.status = decode_status(raw);
    return result;
}

child::child(const std::vector<std::string>& argv, const run_options& options) {
    pipe_pair out;
    pid_ = spawn(argv, options, -1, out.fd[1], -1);
    ::close(out.fd[1]);
    out_fd_ = out.fd[0];
}

child::child(child&& other) noexcept
    : pid_(other.pid_), out_fd_(other.out_fd_), pending_(std::move(other.pending_)),
      reaped_(other.reaped_), status_(other.status_), dumped_core_(other.dumped_core_), peak_rss_kb_(other.peak_rss_kb_) {
    other.pid_ = -1;
    other.out_fd_ = -1;
}

child::~child() {
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        wait();
    }
    if (out_fd_ >= 0) ::close(out_fd_);
}

std::string child::read_line() {
    char buf[4096];
    for (;;) {
        auto nl = pending_.find('\n');
        if (nl != std::string::npos) {
            auto line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        ssize_t r = ::read(out_fd_, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return std::exchange(pending_, {});
        pending_.append(buf, r);
    }
}

std::string child::read_rest() {
    char buf[65536];
    for (;;) {
        ssize_t r = ::read(out_fd_, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        pending_.append(buf, r);
    }
    return std::exchange(pending_, {});
}

void child::signal(int sig) {
    if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
}

int child::wait() {
    if (reaped_) return status_;
    int raw = 0;
    peak_rss_kb_ = reap(pid_, raw);
    reaped_ = true;
    status_ = decode_status(raw);
    dumped_core_ = WIFSIGNALED(raw) && WCOREDUMP(raw);
    return status_;
}

std::optional<int> child::wait_for(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!reaped_) {
        int raw = 0;
        rusage usage{};
        const int r = ::wait4(pid_, &raw, WNOHANG, &usage);
        if (r == pid_) {
            reaped_ = true;
            status_ = decode_status(raw);
            dumped_core_ = WIFSIGNALED(raw) && WCOREDUMP(raw);
            peak_rss_kb_ = usage.ru_maxrss;
            break;
        }
        if (r < 0 && errno != EINTR) throw std::runtime_error("wait4 failed: " + std::string(std::strerror(errno)));
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status_;
}

long child::peak_rss_kb() const {
    if (reaped_) return peak_rss_kb_;
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

}  // namespace prospect::test
