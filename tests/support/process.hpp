// Running the real binaries from end-to-end tests: a blocking run() that
// captures stdout, stderr and the exit status, and a child handle for
// servers that run beside the test (read their first line, signal, wait).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace prospect::test {

struct run_options {
    std::vector<std::string> env;      // extra KEY=VALUE entries
    std::vector<std::string> unset;    // variables removed from the environment
    std::optional<std::string> input;  // written to standard input, then closed
    std::string cwd;                   // empty: the test's own
};

struct run_result {
    int status = -1;  // exit status, or 128 + signal number
    std::string out;
    std::string err;
    long peak_rss_kb = 0;  // the child's peak resident set (ru_maxrss)
};

run_result run(const std::vector<std::string>& argv, const run_options& options = {});

class child {
public:
    child(const std::vector<std::string>& argv, const run_options& options = {});
    child(child&& other) noexcept;
    child& operator=(child&&) = delete;
    ~child();  // SIGKILLs and reaps a child still running

    // Blocks until a whole line arrives on the child's stdout; empty at EOF.
    std::string read_line();
    void signal(int sig);
    // Waits for the exit; returns the status as run_result::status does.
    int wait();
    // As wait(), but gives up after `limit` (nullopt: still running), so a
    // test can tell a hang from an exit without blocking for ever.
    std::optional<int> wait_for(std::chrono::milliseconds limit);
    // Everything the child wrote on stdout after the lines read so far (reads to EOF).
    std::string read_rest();
    int pid() const { return pid_; }
    // Whether the kernel wrote a core dump when the (reaped) child died.
    bool dumped_core() const { return dumped_core_; }
    // Peak resident set in KiB: so far (VmHWM) while it runs, ru_maxrss once reaped.
    long peak_rss_kb() const;

private:
    int pid_ = -1;
    int out_fd_ = -1;
    std::string pending_;
    bool reaped_ = false;
    int status_ = -1;
    bool dumped_core_ = false;
    long peak_rss_kb_ = 0;
};

}  // namespace prospect::test
