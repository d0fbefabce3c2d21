// docs/contract.md "Runs from cron": what a scheduler relies on, with real
// processes: resuming by key across runs and files, the binding, compaction. Waiting for a state (a journal that grew, a lock taken) polls
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

TEST_CASE("a re-export under another name, rows added and removed, sends only the new rows") {
    sandbox_process sandbox;
    temp_dir dir;
    auto journal = dir / "cron.journal";
    auto day1 = dir / "export-2026-11-29.csv";
    write_file(day1, lead_rows(100));
    REQUIRE(run(importer_argv(sandbox, {"--journal", journal, day1}), with_key()).status == 0);

    // The next day's export: rows 0-19 gone, 100-149 new, in another order.
    auto day2 = dir / "export-2026-11-30.csv";
    std::string rows = "url\n";
    for (std::size_t i = 150; i-- > 20;) rows += lead_url(i) + "\n";  // spelt otherwise: the same keys
    write_file(day2, rows);
    // Operational settings differ, which never binds a journal.
    auto r = run(importer_argv(sandbox, {"--journal", journal, "--connections", "2", "--rate", "3000", day2}), with_key());
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(stats(sandbox).requests == 150);
    auto after = stored(sandbox);
    CHECK(after.size() == 150);
    for (const auto& [url, p] : after) CHECK(p.posts == 1);

    auto report = read_report(day2 + ".report.csv");
    REQUIRE(report.size() == 130);
    for (const auto& row : report) {
        CAPTURE(row.normalized_url);
        CHECK(row.outcome == "added");
        CHECK(row.http_status == "201");
        CHECK(row.attempts == "1");
        bool earlier = row.normalized_url < lead_url(100);
        CHECK(contains(row.message, "added by an earlier run on ") == earlier);
        if (earlier) CHECK(contains(row.message, " UTC"));
    }
    CHECK(report.front().normalized_url == lead_url(149));
    CHECK(report.back().normalized_url == lead_url(20));
}

TEST_CASE("a journal of another base URL exits 2 naming both, and --restart forgets it") {
    sandbox_process first, second;
    temp_dir dir;
    auto input = dir / "leads.csv";
    auto journal = dir / "cron.journal";
    write_file(input, lead_rows(10));
    REQUIRE(run(importer_argv(first, {"--journal", journal, input}), with_key()).status == 0);
    auto r = run(importer_argv(second, {"--journal", journal, input}), with_key());
    CHECK(r.status == 2);
    CHECK(contains(r.err, "journal " + journal + " was written for base URL " + first.url));
    CHECK(contains(r.err, "this run uses base URL " + second.url));
    CHECK(contains(r.err, "--restart"));
    CHECK(stats(second).requests == 0);  // nothing sent
    r = run(importer_argv(second, {"--journal", journal, "--restart", input}), with_key());
    CHECK(r.status == 0);
    CHECK(stored(second).size() == 10);
}

TEST_CASE("a rejected key is not sent again with the same move flag, and is with the other one") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    auto journal = dir / "list2.journal";
    write_file(input, lead_rows(10));
    REQUIRE(run(importer_argv(sandbox, {input}), with_key()).status == 0);  // in list 1, its own journal
    auto into_list_2 = [&](const char* move) {
        return run(importer_argv(sandbox, {"--list", std::string(list_2), move, "--journal", journal, input}),
                   with_key());
    };
    CHECK(into_list_2("--no-move-duplicates").status == 1);
    auto rejected = read_report(input + ".report.csv");
    REQUIRE(rejected.size() == 10);
    CHECK(count_outcome(rejected, "rejected") == 10);
    CHECK(stats(sandbox).requests == 20);

    CHECK(into_list_2("--no-move-duplicates").status == 1);
    CHECK(stats(sandbox).requests == 20);  // reported as recorded, not sent
    auto again = read_report(input + ".report.csv");
    REQUIRE(again.size() == 10);
    for (std::size_t i = 0; i < 10; ++i) {
        CHECK(again[i].outcome == "rejected");
        CHECK(again[i].http_status == rejected[i].http_status);
        CHECK(again[i].message == rejected[i].message);
    }

    CHECK(into_list_2("--move-duplicates").status == 0);
    CHECK(stats(sandbox).requests == 30);
    for (const auto& [url, p] : stored(sandbox)) CHECK(p.list == list_2);
}

TEST_CASE("compaction killed after writing its copy leaves the journal whole, and the next run compacts it and sends nothing") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    auto journal = dir / "list2.journal";
    write_file(input, lead_rows(300));
    REQUIRE(run(importer_argv(sandbox, {"--rate", "5000", input}), with_key()).status == 0);
    auto into_list_2 = [&](const char* move, run_options options) {
        return run(importer_argv(sandbox, {"--rate", "5000", "--list", std::string(list_2), move, "--journal", journal,
                                           input}),
                   options);
    };
    // 300 keys rejected, then sent again with the move flag and added: 600 entries for 300 keys.
    REQUIRE(into_list_2("--no-move-duplicates", with_key()).status == 1);
    REQUIRE(into_list_2("--move-duplicates", with_key()).status == 0);
    auto requests = stats(sandbox).requests;
    auto full = read_file(journal);

    auto killed = with_key();
    killed.env.push_back("PROSPECT_TEST_KILL_IN_COMPACTION=1");
    CHECK(into_list_2("--move-duplicates", killed).status == 128 + SIGKILL);
    CHECK(read_file(journal) == full);  // the old journal, untouched
    CHECK(size_of(journal + ".compact") > 0);

    auto r = into_list_2("--move-duplicates", with_key());
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(stats(sandbox).requests == requests);
    CHECK_FALSE(std::filesystem::exists(journal + ".compact"));
    CHECK(size_of(journal) < full.size() * 6 / 10);
    auto report = read_report(input + ".report.csv");
    REQUIRE(report.size() == 300);
    for (const auto& row : report) CHECK(contains(row.message, "added by an earlier run on "));

    // Compacted, it still knows every key.
    CHECK(into_list_2("--move-duplicates", with_key()).status == 0);
    CHECK(stats(sandbox).requests == requests);
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

TEST_CASE("a re-run of a finished file sends nothing and reports every row as before, saying when it was added") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, "url\nlinkedin.com/in/a\nlinkedin.com/company/x\nlinkedin.com/in/a\n");
    auto first = run(importer_argv(sandbox, {input}), with_key());
    CHECK(first.status == 1);
    auto report1 = read_report(input + ".report.csv");
    auto second = run(importer_argv(sandbox, {input}), with_key());
    CHECK(second.status == 1);
    auto report2 = read_report(input + ".report.csv");
    CHECK(stats(sandbox).requests == 1);
    REQUIRE(report1.size() == 3);
    REQUIRE(report2.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(report2[i].outcome == report1[i].outcome);
        CHECK(report2[i].http_status == report1[i].http_status);
        CHECK(report2[i].attempts == report1[i].attempts);
        if (i != 0) CHECK(report2[i].message == report1[i].message);
    }
    CHECK(report2[0].outcome == "added");
    CHECK(contains(report2[0].message, "added by an earlier run on "));
}
