// Off the paths the importer was built for (issue 11), end to end: the real
// prospect-import against hostile-server, prospect-sandbox and a closed port,
// fed through pipes, on a file that grows, with a file size limit, under
// signals and beside a second run on the same file. One contract of
// docs/contract.md a test case; a deadline only guards against a hang.
#include "import_support.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

using namespace prospect::test;
namespace fs = std::filesystem;

namespace {

// Far longer than any of these runs takes; reaching it means a hang.
constexpr int guard_seconds = 60;

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::size_t count_outcome(const std::vector<report_row>& rows, const std::string& outcome) {
    std::size_t n = 0;
    for (const auto& r : rows) n += r.outcome == outcome;
    return n;
}

// Every input row once, in input order (lead_rows' rows start at line 2).
void check_every_row(const std::vector<report_row>& rows, std::size_t n) {
    REQUIRE(rows.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        CHECK(rows[i].row == i + 2);
        CHECK(rows[i].normalized_url == lead_url(i));
    }
}

// Temporary report files (REPORT.XXXXXX.tmp) left in `dir`.
std::size_t temp_files(const temp_dir& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) n += e.path().extension() == ".tmp";
    return n;
}

std::vector<std::string> ids() {
    return {"--campaign", std::string(campaign_1), "--list", std::string(list_1)};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// `argv` killed by timeout(1) at the guard, so that a hang ends as status
// 137; with `file_size_kib`, under that file size limit with SIGXFSZ
// ignored (set by the shell before it execs), as on a full disk.
std::vector<std::string> guarded(const std::vector<std::string>& argv, int file_size_kib = 0) {
    std::vector<std::string> out;
    if (file_size_kib > 0)
        out = {"/bin/bash", "-c", "trap '' XFSZ && ulimit -f " + std::to_string(file_size_kib) + " && exec \"$@\"",
               "bash"};
    out = concat(out, {"/usr/bin/timeout", "-s", "KILL", std::to_string(guard_seconds)});
    return concat(out, argv);
}

// The importer with its standard error in a file, in a process of its own
// that signals reach (the shell execs it).
struct running_import {
    std::string err_path;
    child process;

    running_import(const std::vector<std::string>& argv, const std::string& err_file, const run_options& options)
        : err_path(err_file),
          process(concat({"/bin/bash", "-c", "exec 2>\"$0\" && exec \"$@\"", err_file}, argv), options) {}

    std::string err() const { return read_file_or_empty(err_path); }
    // The exit status; REQUIREs that it came within `limit`.
    int finish(std::chrono::seconds limit = std::chrono::seconds(guard_seconds)) {
        auto status = process.wait_for(limit);
        INFO(err());
        REQUIRE(status.has_value());
        return *status;
    }
};

// Where process `pid` reads `path` (its descriptor's offset), if it has it open.
std::optional<std::uintmax_t> read_offset(int pid, const std::string& path) {
    const fs::path fds = "/proc/" + std::to_string(pid) + "/fd";
    for (const auto& e : fs::directory_iterator(fds)) {
        std::error_code ec;
        if (fs::read_symlink(e.path(), ec) != path) continue;
        auto info = read_file("/proc/" + std::to_string(pid) + "/fdinfo/" + e.path().filename().string());
        return std::stoull(info.substr(info.find("pos:") + 4));
    }
    return std::nullopt;
}

#ifdef PROSPECT_HOSTILE_BIN
struct hostile_process {
    temp_dir dir;
    std::string ca_file = dir / "ca.pem";
    child process;
    std::string url;

    explicit hostile_process(const std::string& mode)
        : process({PROSPECT_HOSTILE_BIN, "--mode", mode, "--ca-out", ca_file}) {
        std::string line = process.read_line();
        constexpr std::string_view prefix = "listening on ";
        REQUIRE(line.rfind(prefix, 0) == 0);
        url = line.substr(prefix.size());
    }

    long requests() const {
        tls_client client("127.0.0.1", url.substr(url.rfind(':') + 1), ca_file);
        auto reply = client.get("/_hostile/received");
        REQUIRE(reply.status == 200);
        return boost::json::parse(reply.body).as_object().at("requests").as_int64();
    }

    std::vector<std::string> argv(const std::vector<std::string>& args) const {
        return concat(concat({PROSPECT_IMPORT_BIN, "--base-url", url, "--ca-file", ca_file, "--rate", "2000"}, ids()),
                      args);
    }
};
#endif

}  // namespace

#ifdef PROSPECT_HOSTILE_BIN
TEST_CASE("a 301 is not followed: each row is sent once and ends failed, exit 75") {
    hostile_process server("redirect-301");
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(6));
    auto r = run(guarded(server.argv({input})), with_key());
    INFO(r.err);
    CHECK(r.status == 75);
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 6);
    for (const auto& row : rows) {
        CHECK(row.outcome == "failed");
        CHECK(row.http_status == "301");
        CHECK(row.attempts == "1");
    }
    CHECK(server.requests() == 6);
}

TEST_CASE("429 for ever with a huge Retry-After: --max-throttle-wait bounds the run, every row failed, exit 75") {
    hostile_process server("endless-429");
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(50));
    auto r = run(guarded(server.argv({"--max-throttle-wait", "2", "--connections", "1", input})), with_key());
    INFO(r.err);
    CHECK(r.status == 75);  // not 137: the run ended well before the guard
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 50);
    CHECK(count_outcome(rows, "failed") == 50);
    // No row is sent again once the bound is spent: at most one request a
    // row, where waiting out each 429 would send many.
    CHECK(server.requests() <= 50);
}

TEST_CASE("an HTML 404 stops the run: exit 69 naming the URL, the rows sent failed, the rest not_sent") {
    hostile_process server("html-404");
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(50));
    auto r = run(guarded(server.argv({"--connections", "4", input})), with_key());
    INFO(r.err);
    CHECK(r.status == 69);
    CHECK(contains(r.err, "POST " + server.url + "/api/client/v1/prospects answered HTTP 404 without the API's JSON "
                                                 "envelope"));
    CHECK(contains(r.err, "check --base-url"));
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 50);
    const long requests = server.requests();
    CHECK(requests >= 1);
    CHECK(requests <= 4);  // at most the one request in flight on each connection
    CHECK(count_outcome(rows, "failed") == static_cast<std::size_t>(requests));
    CHECK(count_outcome(rows, "not_sent") == 50 - static_cast<std::size_t>(requests));
    for (const auto& row : rows)
        if (row.outcome == "failed") CHECK(row.http_status == "404");
}

TEST_CASE("a server that speaks only TLS 1.0 gets no request: every row failed, exit 75") {
    hostile_process server("tls10-only");
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(3));
    auto r = run(guarded(server.argv({"--max-retries", "1", input})), with_key());
    INFO(r.err);
    CHECK(r.status == 75);
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 3);
    CHECK(count_outcome(rows, "failed") == 3);
    CHECK(contains(r.err, "; 0 requests"));  // the server cannot be asked: it speaks TLS 1.0 only
}

TEST_CASE("SIGINT during a long Retry-After exits 130 at once, saying what it waits for, every row reported") {
    hostile_process server("endless-429");
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(20));
    running_import import(server.argv({"--max-throttle-wait", "3600", "--connections", "2", input}), dir / "err.txt",
                          with_key());
    wait_until([&] { return server.requests() >= 1; }, "a request to be answered 429");
    import.process.signal(SIGINT);
    // Retry-After says 100,000,000 s and the bound is an hour: only a stop
    // that wakes every wait ends the run before the guard.
    CHECK(import.finish(std::chrono::seconds(30)) == 130);
    auto err = import.err();
    INFO(err);
    CHECK(contains(err, "SIGINT: stopping; waiting for "));
    CHECK(contains(err, "SIGINT again stops at once"));
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 20);
    CHECK(count_outcome(rows, "failed") + count_outcome(rows, "not_sent") == 20);
    CHECK(temp_files(dir) == 0);
}
#endif

TEST_CASE("a closed port: every row failed, no request counted, exit 75") {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    ::close(fd);  // bound, never listening, now closed: connections are refused
    const std::string url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(3));
    auto r = run(guarded(concat(concat({PROSPECT_IMPORT_BIN, "--base-url", url, "--max-retries", "1"}, ids()), {input})),
                 with_key());
    INFO(r.err);
    CHECK(r.status == 75);
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 3);
    CHECK(count_outcome(rows, "failed") == 3);
    CHECK(contains(r.err, "; 0 requests"));
}

TEST_CASE("an input that is not a regular file (pipe on /dev/stdin, FIFO, <(...)) is read once: 5,000 rows added") {
    constexpr std::size_t n = 5000;
    temp_dir dir;
    const std::string data = lead_rows(n);
    const std::string report = dir / "report.csv";
    run_options options;
    options.unset.push_back("EXTROVERT_API_KEY");
    // The input path comes last; process substitution appends its own.
    auto importer = [&](const std::vector<std::string>& input) {
        return guarded(concat(
            concat({PROSPECT_IMPORT_BIN, "--sandbox", "--rate", "20000", "--connections", "8", "--report", report}, ids()),
            input));
    };
    run_result r;
    SUBCASE("a pipe on /dev/stdin") {
        options.input = data;
        r = run(importer({"/dev/stdin"}), options);
    }
    SUBCASE("a FIFO whose writer finishes") {
        const std::string fifo = dir / "leads.fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        std::signal(SIGPIPE, SIG_IGN);
        std::thread writer([&] {
            const int fd = ::open(fifo.c_str(), O_WRONLY);  // waits for the importer to open it
            for (std::size_t at = 0; fd >= 0 && at < data.size();) {
                const ssize_t w = ::write(fd, data.data() + at, data.size() - at);
                if (w <= 0) break;
                at += static_cast<std::size_t>(w);
            }
            if (fd >= 0) ::close(fd);
        });
        r = run(importer({fifo}), options);
        ::close(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK));  // frees the writer had the importer never opened it
        writer.join();
    }
    SUBCASE("bash process substitution") {
        const std::string file = dir / "leads.csv";
        write_file(file, data);
        r = run(concat({"/bin/bash", "-c", "exec \"$@\" <(cat \"$0\")", file}, importer({})), options);
    }
    INFO(r.err);
    CHECK(r.status == 0);
    auto rows = read_report(report);
    check_every_row(rows, n);
    CHECK(count_outcome(rows, "added") == n);
}

TEST_CASE("rows appended while the file is read: exit 75 naming the file, the report in order") {
    // Rows of about 600 bytes: the 1.2 MB file is several of the reader's
    // chunks, and reading keeps pace with sending, so a run stopped after its
    // first request has not read to the end (checked through /proc).
    constexpr std::size_t n = 2000;
    auto fat_rows = [](std::size_t count, std::size_t first) {
        std::string out;
        for (std::size_t i = first; i < first + count; ++i)
            out += lead_url(i).substr(12) + "," + std::string(580, 'x') + "\n";
        return out;
    };
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, "url,notes\n" + fat_rows(n, 0));
    const auto size = fs::file_size(input);
    running_import import(importer_argv(sandbox, {"--rate", "2000", input}), dir / "err.txt", with_key());
    wait_until([&] { return stats(sandbox).requests >= 1; }, "the first request");
    import.process.signal(SIGSTOP);
    auto offset = read_offset(import.process.pid(), input);
    REQUIRE(offset.has_value());
    REQUIRE(*offset < size);
    {
        std::FILE* f = std::fopen(input.c_str(), "a");
        REQUIRE(f);
        std::fputs(fat_rows(100, n).c_str(), f);
        std::fclose(f);
    }
    import.process.signal(SIGCONT);
    CHECK(import.finish() == 75);
    auto err = import.err();
    INFO(err);
    CHECK(contains(err, input + " changed while it was being read: it grew from "));
    auto rows = read_report(input + ".report.csv");
    REQUIRE(!rows.empty());
    CHECK(rows.size() <= n);
    for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].row == i + 2);
}

TEST_CASE("a journal write that fails (file size limit) stops the run with 74 naming the journal, and a re-run resumes") {
    constexpr std::size_t n = 3000;
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    auto journal = dir / "leads.journal";
    write_file(input, lead_rows(n));
    // The report goes to standard output (a pipe): only the journal meets the 64 KiB limit.
    auto first = run(guarded(importer_argv(sandbox, {"--report", "-", "--journal", journal, input}), 64), with_key());
    INFO(first.err);
    CHECK(first.status == 74);
    CHECK(contains(first.err, journal));
    CHECK(contains(first.err, "File too large"));
    const auto sent_first = stats(sandbox).requests;
    CHECK(sent_first < static_cast<long>(n));

    auto second = run(guarded(importer_argv(sandbox, {"--journal", journal, input})), with_key());
    INFO(second.err);
    CHECK(second.status == 0);  // not 4: the first run released its lock
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, n);
    CHECK(count_outcome(rows, "added") == n);
    CHECK(stored(sandbox).size() == n);
    // What the first run journaled is not sent again.
    CHECK(stats(sandbox).requests < static_cast<long>(n) + sent_first);
}

TEST_CASE("a report write that fails (file size limit) stops the run with 74 naming the report, no half report left") {
    constexpr std::size_t n = 3000;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(n));
    const auto report = input + ".sandbox.report.csv";
    run_options options;
    options.unset.push_back("EXTROVERT_API_KEY");
    auto argv = concat(concat({PROSPECT_IMPORT_BIN, "--sandbox", "--rate", "20000", "--connections", "8"}, ids()),
                       {input});
    auto first = run(guarded(argv, 64), options);
    INFO(first.err);
    CHECK(first.status == 74);
    CHECK(contains(first.err, "cannot write report " + report + "."));
    CHECK(contains(first.err, "File too large"));
    CHECK(!fs::exists(report));
    CHECK(temp_files(dir) == 0);

    auto second = run(guarded(argv), options);
    INFO(second.err);
    CHECK(second.status == 0);  // not 4: the first run released its lock
    check_every_row(read_report(report), n);
}

TEST_CASE("a dry run during an import of the same file writes a report of its own: neither is clobbered") {
    sandbox_process sandbox({"--latency-ms", "700"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(3));
    running_import import(importer_argv(sandbox, {"--connections", "1", input}), dir / "err.txt", with_key());
    wait_until([&] { return stats(sandbox).requests >= 1; }, "the import's first request");
    auto dry = run(guarded(concat(concat({PROSPECT_IMPORT_BIN, "--dry-run"}, ids()), {input})));
    INFO(dry.err);
    CHECK(dry.status == 0);
    auto dry_rows = read_report(input + ".dry-run.report.csv");
    check_every_row(dry_rows, 3);
    CHECK(count_outcome(dry_rows, "not_sent") == 3);
    CHECK(import.finish() == 0);
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 3);
    CHECK(count_outcome(rows, "added") == 3);
    CHECK(temp_files(dir) == 0);
}

TEST_CASE("a second run writing the same report exits 4 naming the first run's PID, and sends nothing") {
    sandbox_process sandbox({"--latency-ms", "700"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(3));
    const auto report = input + ".report.csv";
    running_import import(importer_argv(sandbox, {"--connections", "1", input}), dir / "err.txt", with_key());
    wait_until([&] { return stats(sandbox).requests >= 1; }, "the first run's first request");
    const std::string holder = "PID " + std::to_string(import.process.pid());
    // Another journal, so that only the report is shared.
    auto second = run(guarded(importer_argv(sandbox, {"--journal", dir / "other.journal", input})), with_key());
    CHECK(second.status == 4);
    CHECK(contains(second.err, holder));
    auto dry = run(guarded(concat(concat({PROSPECT_IMPORT_BIN, "--dry-run", "--report", report}, ids()), {input})));
    CHECK(dry.status == 4);
    CHECK(contains(dry.err, holder));
    CHECK(import.finish() == 0);
    auto rows = read_report(report);
    check_every_row(rows, 3);
    CHECK(count_outcome(rows, "added") == 3);
    CHECK(stats(sandbox).requests == 3);
}

TEST_CASE("--report, --journal or --metrics-file naming the input is refused with 2, the input unchanged") {
    temp_dir dir;
    auto input = dir / "leads.csv";
    const std::string content = lead_rows(5);
    write_file(input, content);
    const auto link = dir / "link.csv";
    fs::create_symlink(input, link);
    // Not a structured binding: clang 14 cannot capture one (CAPTURE is a lambda).
    for (const auto& output : std::vector<std::pair<std::string, std::string>>{
             {"--report", input}, {"--journal", dir.path().string() + "/./leads.csv"}, {"--metrics-file", link}}) {
        const std::string& option = output.first;
        const std::string& path = output.second;
        for (const bool dry : {false, true}) {
            if (dry && option != "--report") continue;  // a dry run writes no journal and no metrics
            CAPTURE(option);
            CAPTURE(dry);
            std::vector<std::string> argv = {PROSPECT_IMPORT_BIN, "--base-url", "https://127.0.0.1:9", option, path};
            if (dry) argv.push_back("--dry-run");
            auto r = run(guarded(concat(concat(argv, ids()), {input})), with_key());
            CHECK(r.status == 2);
            CHECK(contains(r.err, option + " " + path + " is the input file itself"));
            CHECK(read_file(input) == content);
        }
    }
}

TEST_CASE("a second SIGINT abandons a hanging request: exit 130, a complete report, the rows in flight failed") {
    sandbox_process sandbox({"--latency-ms", "30000"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(10));
    running_import import(importer_argv(sandbox, {"--connections", "2", "--timeout", "120", input}), dir / "err.txt",
                          with_key());
    wait_until([&] { return stats(sandbox).requests >= 2; }, "two requests in flight");
    import.process.signal(SIGINT);
    wait_until([&] { return contains(import.err(), "SIGINT: stopping; waiting for 2 requests in flight"); },
               "the first SIGINT's message");
    import.process.signal(SIGINT);
    // The answers are 30 s away: only abandoning them ends the run first.
    CHECK(import.finish(std::chrono::seconds(20)) == 130);
    auto err = import.err();
    INFO(err);
    CHECK(contains(err, "SIGINT again: abandoning 2 requests in flight"));
    auto rows = read_report(input + ".report.csv");
    check_every_row(rows, 10);
    CHECK(count_outcome(rows, "failed") == 2);
    CHECK(count_outcome(rows, "not_sent") == 8);
    CHECK(temp_files(dir) == 0);
}

// Cores go to the working directory as `core` on this kind of machine once
// RLIMIT_CORE allows. A sleep killed the same way shows that the machine dumps
// cores at all, so the importer's missing core is its own doing.
TEST_CASE("an importer killed by SIGQUIT after reading its key leaves no core dump") {
    rlimit saved{};
    REQUIRE(::getrlimit(RLIMIT_CORE, &saved) == 0);
    rlimit allowed = saved;
    allowed.rlim_cur = saved.rlim_max;
    REQUIRE(::setrlimit(RLIMIT_CORE, &allowed) == 0);
    struct restore_limit {
        rlimit limit;
        ~restore_limit() { ::setrlimit(RLIMIT_CORE, &limit); }
    } restore{saved};

    temp_dir control_dir;
    run_options in_control_dir;
    in_control_dir.cwd = control_dir.path().string();
    child sleeper({"/bin/sleep", "60"}, in_control_dir);
    sleeper.signal(SIGQUIT);
    REQUIRE(sleeper.wait() == 128 + SIGQUIT);
    REQUIRE_MESSAGE(sleeper.dumped_core(), "this machine writes no core dumps (RLIMIT_CORE hard limit, core_pattern)");

    sandbox_process sandbox({"--latency-ms", "30000"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(3));
    auto options = with_key("k3y-in-no-core-file");
    options.cwd = dir.path().string();
    running_import import(importer_argv(sandbox, {"--timeout", "120", input}), dir / "err.txt", options);
    wait_until([&] { return stats(sandbox).requests >= 1; }, "a request in flight (the key read)");
    import.process.signal(SIGQUIT);
    CHECK(import.finish(std::chrono::seconds(20)) == 128 + SIGQUIT);
    CHECK_FALSE(import.process.dumped_core());
    for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string().rfind("core", 0) != 0);
}

TEST_CASE("--metrics-file is written when the run ends with a usage error (exit 2)") {
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(3));
    auto metrics = dir / "import.prom";
    // No --list and no list column: a usage error found once the input is open.
    auto r = run(guarded({PROSPECT_IMPORT_BIN, "--base-url", "https://127.0.0.1:9", "--campaign",
                          std::string(campaign_1), "--metrics-file", metrics, input}),
                 with_key());
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--list"));
    const auto text = read_file_or_empty(metrics);
    const auto at = text.find("\nprospect_import_exit_status{");
    REQUIRE(at != std::string::npos);
    const auto line = text.substr(at + 1, text.find('\n', at + 1) - at - 1);
    CHECK(line.ends_with("} 2"));
}
