// docs/contract.md "Runs from cron": what a scheduler relies on, with real
// processes. Waiting for a state (a journal that grew, a lock taken) polls
// that state with a deadline; nothing waits for a guessed time.
#include "import_support.hpp"

#include <csignal>
#include <doctest/doctest.h>
#include <filesystem>

using namespace prospect::test;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::uintmax_t size_of(const std::string& path) {
    std::error_code ec;
    auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : n;
}

std::size_t count_outcome(const std::vector<report_row>& rows, const std::string& outcome) {
    std::size_t n = 0;
    for (const auto& r : rows) n += r.outcome == outcome;
    return n;
}

}  // namespace

TEST_CASE("kill -9 at several points, then a re-run: every row added, nothing received sent twice") {
    for (long kill_after_requests : {1L, 200L, 900L}) {
        CAPTURE(kill_after_requests);
        sandbox_process sandbox({"--latency-ms", "1-4"});
        temp_dir dir;
        auto input = dir / "leads.csv";
        write_file(input, lead_rows(1500));
        {
            child first(importer_argv(sandbox, {"--rate", "5000", "--connections", "4", "--quiet", input}),
                        with_key());
            wait_until([&] { return stats(sandbox).requests >= kill_after_requests; }, "requests to arrive");
            first.signal(SIGKILL);
            CHECK(first.wait() == 128 + SIGKILL);
        }
        auto r = run(importer_argv(sandbox, {"--rate", "5000", "--connections", "4", input}), with_key());
        INFO(r.err);
        CHECK(r.status == 0);
        auto rows = read_report(input + ".report.csv");
        REQUIRE(rows.size() == 1500);
        CHECK(count_outcome(rows, "added") == 1500);
        auto after = stored(sandbox);
        CHECK(after.size() == 1500);
        // Only requests in flight at the kill (at most one a connection) may
        // have reached the sandbox without the importer hearing the 201.
        std::size_t posted_again = 0;
        for (const auto& [url, p] : after) posted_again += p.posts > 1;
        CHECK(posted_again <= 4);
        CHECK(stats(sandbox).requests <= 1500 + 4);
    }
}

TEST_CASE("a second run on the same journal exits 4 at once, naming the holder") {
    sandbox_process sandbox({"--latency-ms", "20"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(400));
    child first(importer_argv(sandbox, {"--connections", "1", "--rate", "1000", "--quiet", input}), with_key());
    auto lock = input + ".report.csv.journal.lock";
    wait_until([&] { return contains(read_file_or_empty(lock), "started"); }, "the first run's lock");
    auto second = run(importer_argv(sandbox, {input}), with_key());
    CHECK(second.status == 4);
    CHECK(contains(second.err, "PID " + std::to_string(first.pid())));
    first.signal(SIGTERM);
    CHECK(first.wait() == 143);
}

TEST_CASE("SIGTERM mid-run exits 143 with a complete report, the unsent rows not_sent, and a re-run finishes") {
    sandbox_process sandbox({"--latency-ms", "5"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(2000));
    auto journal = input + ".report.csv.journal";
    child run1(importer_argv(sandbox, {"--connections", "2", "--rate", "1000", "--quiet", input}), with_key());
    wait_until([&] { return size_of(journal) >= 2000; }, "some rows in the journal");
    run1.signal(SIGTERM);
    CHECK(run1.wait() == 143);
    auto rows = read_report(input + ".report.csv");
    REQUIRE(rows.size() == 2000);
    auto added = count_outcome(rows, "added");
    CHECK(added > 0);
    CHECK(count_outcome(rows, "not_sent") > 0);
    CHECK(added + count_outcome(rows, "not_sent") + count_outcome(rows, "failed") == 2000);
    CHECK(stored(sandbox).size() == added);  // nothing in flight was lost from the report

    auto r = run(importer_argv(sandbox, {"--rate", "5000", input}), with_key());
    CHECK(r.status == 0);
    CHECK(count_outcome(read_report(input + ".report.csv"), "added") == 2000);
    for (const auto& [url, p] : stored(sandbox)) CHECK(p.posts == 1);
}

TEST_CASE("a changed input is refused with exit 2 and a pointer to --restart, which starts afresh") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(10));
    REQUIRE(run(importer_argv(sandbox, {input}), with_key()).status == 0);
    write_file(input, lead_rows(10, 100));
    auto r = run(importer_argv(sandbox, {input}), with_key());
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--restart"));
    CHECK(stored(sandbox).size() == 10);  // nothing sent
    r = run(importer_argv(sandbox, {"--restart", input}), with_key());
    CHECK(r.status == 0);
    CHECK(stored(sandbox).size() == 20);
}

TEST_CASE("changed settings (another list) are refused like a changed input") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(5));
    REQUIRE(run(importer_argv(sandbox, {input}), with_key()).status == 0);
    auto r = run(importer_argv(sandbox, {"--list", std::string(list_2), input}), with_key());
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--restart"));
}

TEST_CASE("a torn journal tail is ignored: the re-run sends only what the torn record lost") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(50));
    REQUIRE(run(importer_argv(sandbox, {input}), with_key()).status == 0);
    auto journal = input + ".report.csv.journal";
    auto bytes = read_file(journal);
    write_file(journal, bytes + std::string("PJRN\x07\x00", 6));  // half a frame after a crash
    auto requests_before = stats(sandbox).requests;
    auto r = run(importer_argv(sandbox, {input}), with_key());
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(stats(sandbox).requests == requests_before);
    CHECK(count_outcome(read_report(input + ".report.csv"), "added") == 50);
}

TEST_CASE("a re-run of a finished file sends nothing and reports every row as before") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, "url\nlinkedin.com/in/a\nlinkedin.com/company/x\nlinkedin.com/in/a\n");
    auto first = run(importer_argv(sandbox, {input}), with_key());
    CHECK(first.status == 1);
    auto report1 = read_file(input + ".report.csv");
    auto second = run(importer_argv(sandbox, {input}), with_key());
    CHECK(second.status == 1);
    CHECK(read_file(input + ".report.csv") == report1);
    CHECK(stats(sandbox).requests == 1);
}
