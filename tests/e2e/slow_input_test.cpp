// Standard input from a slow producer (issue 11, item 12), end to end: the
// real prospect-import reads `-` from a pipe the test writes to, pausing for
// three times --timeout with requests in flight, against the real sandbox
// over TLS. Rows must be sent and answered while the input is stalled, with
// no false time-out, and a signal must not wait for the stalled input. The
// pauses only make the producer slow; every wait is for a state.
#include "import_support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

using namespace prospect::test;
namespace fs = std::filesystem;

namespace {

constexpr int timeout_seconds = 1;
constexpr auto producer_pause = std::chrono::seconds(3 * timeout_seconds);

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string make_fifo(const std::string& path) {
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    return path;
}

long answered_201(const sandbox_process& s) {
    auto by_status = stats(s).by_status;
    return by_status.count(201) ? by_status.at(201) : 0;
}

// prospect-import ... - with its standard input a pipe (a FIFO) that the test
// writes to and its standard error in a file; the shell opens both and execs
// the importer, so that signals reach it.
struct piped_import {
    std::string fifo, err_path;
    child process;
    int input;

    piped_import(const temp_dir& dir, const std::vector<std::string>& argv)
        : fifo(make_fifo(dir / "stdin.fifo")),
          err_path(dir / "err.txt"),
          process(concat({"/bin/bash", "-c", "exec 2>\"$0\" <\"$1\" && shift && exec \"$@\"", err_path, fifo}, argv),
                  with_key()),
          input(::open(fifo.c_str(), O_WRONLY)) {  // waits for the shell to open its end
        std::signal(SIGPIPE, SIG_IGN);  // an importer gone early fails the write, not the test process
        REQUIRE(input >= 0);
    }
    ~piped_import() { close_input(); }

    void write(const std::string& text) {
        for (std::size_t at = 0; at < text.size();) {
            const ssize_t n = ::write(input, text.data() + at, text.size() - at);
            REQUIRE(n > 0);
            at += static_cast<std::size_t>(n);
        }
    }
    void close_input() {
        if (input >= 0) ::close(input);
        input = -1;
    }
    std::string err() const { return read_file_or_empty(err_path); }
    // The exit status; REQUIREs that it came within `limit` (a guard against a hang).
    int finish(std::chrono::seconds limit) {
        auto status = process.wait_for(limit);
        INFO(err());
        REQUIRE(status.has_value());
        return *status;
    }
};

// lead_rows' rows [first, first + n) without its header line.
std::string rows_only(std::size_t n, std::size_t first) {
    auto text = lead_rows(n, first);
    return text.substr(text.find('\n') + 1);
}

}  // namespace

TEST_CASE("a producer pausing 3x --timeout between bursts: every row added with 1 attempt, sent while input stalls") {
    constexpr std::size_t bursts = 3, burst_rows = 20, n = bursts * burst_rows;
    sandbox_process sandbox;
    temp_dir dir;
    const std::string report = dir / "report.csv";
    piped_import import(dir, importer_argv(sandbox, {"--timeout", std::to_string(timeout_seconds), "--connections",
                                                     "2", "--report", report, "-"}));
    import.write("url\n");
    for (std::size_t b = 0; b < bursts; ++b) {
        // More rows than the connections take at once: some are still in
        // flight or queued when the input runs dry.
        import.write(rows_only(burst_rows, b * burst_rows));
        std::this_thread::sleep_for(producer_pause);  // the slow producer, not a synchronisation
        // Every row written so far is answered while the pipe stays open and
        // silent: reading does not hold up sending.
        const auto written = static_cast<long>((b + 1) * burst_rows);
        wait_until([&] { return answered_201(sandbox) >= written; }, "the rows written so far answered");
    }
    import.close_input();
    CHECK(import.finish(std::chrono::seconds(60)) == 0);
    auto rows = read_report(report);
    REQUIRE(rows.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        CHECK(rows[i].row == i + 2);
        CHECK(rows[i].normalized_url == lead_url(i));
        CHECK(rows[i].outcome == "added");
        CHECK(rows[i].attempts == "1");  // no false time-out while the input stalled
    }
    auto s = stats(sandbox);
    CHECK(s.requests == static_cast<long>(n));
    CHECK(answered_201(sandbox) == static_cast<long>(n));
}

TEST_CASE("SIGINT while standard input stalls: exit 130 at once with a complete report of the rows read") {
    constexpr std::size_t n = 5;
    sandbox_process sandbox;
    temp_dir dir;
    const std::string report = dir / "report.csv";
    piped_import import(dir, importer_argv(sandbox, {"--timeout", std::to_string(timeout_seconds), "--report", report,
                                                     "-"}));
    import.write(lead_rows(n));
    // The pipe stays open and says nothing more: the importer waits for input.
    wait_until([&] { return answered_201(sandbox) >= static_cast<long>(n); }, "the rows written answered");
    import.process.signal(SIGINT);
    // The producer never ends its input: only not waiting for it ends the run.
    CHECK(import.finish(std::chrono::seconds(20)) == 130);
    const auto err = import.err();
    INFO(err);
    CHECK(contains(err, "SIGINT: stopping; waiting for 0 requests in flight"));
    CHECK(contains(err, "5 rows: 5 added"));
    auto rows = read_report(report);
    REQUIRE(rows.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        CHECK(rows[i].row == i + 2);
        CHECK(rows[i].outcome == "added");
    }
    for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().extension() != ".tmp");
}
