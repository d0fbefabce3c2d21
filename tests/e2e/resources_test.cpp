// Issue 6's resource bounds, on the real binaries: the importer's peak RSS
// for a 1,000,000-row import stays under the bound the README states, and a
// slow server does not make memory grow with the input (reading waits for
// the pipeline instead of running ahead of it).
#include "import_support.hpp"

#include <csignal>
#include <doctest/doctest.h>

using namespace prospect::test;

namespace {

// The README's stated bound ("Reliability"): the de-duplication table is
// ~40 bytes a row (~62 while it doubles), everything else is fixed.
constexpr long rss_bound_1m_kib = 96 * 1024;

std::size_t count_lines_with(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

// Starts an import of `rows` rows into a sandbox that answers after
// `latency_ms`, waits until `requests` requests have reached it, and
// returns the importer's peak RSS so far (KiB); then stops it with SIGTERM.
long peak_rss_while_waiting(std::size_t rows, const char* latency_ms, long requests) {
    sandbox_process sandbox({"--latency-ms", latency_ms});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(rows));
    child importer(importer_argv(sandbox, {"--connections", "4", "--rate", "100000", "--quiet", input}), with_key());
    wait_until([&] { return stats(sandbox).requests >= requests; }, "requests to reach the slow sandbox");
    long peak = importer.peak_rss_kb();
    importer.signal(SIGTERM);
    CHECK(importer.wait() == 143);
    CHECK(read_report(input + ".report.csv").size() == rows);
    return peak;
}

}  // namespace

TEST_CASE("1,000,000 rows into the sandbox: every row added, peak RSS under the README's bound") {
    constexpr std::size_t rows = 1'000'000;
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(rows));
    auto result = run(importer_argv(sandbox, {"--connections", "8", "--rate", "1000000", "--burst", "100", "--quiet", input}),
                      with_key());
    INFO(result.err);
    CHECK(result.status == 0);
    auto report = read_file(input + ".report.csv");
    CHECK(count_lines_with(report, ",added,201,1,") == rows);
    CHECK(stats(sandbox).by_status[201] == static_cast<long>(rows));
    MESSAGE("peak RSS " << result.peak_rss_kb / 1024 << " MiB for " << rows << " rows");
    CHECK(result.peak_rss_kb > 0);
    CHECK(result.peak_rss_kb < rss_bound_1m_kib);
}

TEST_CASE("a slow server: the importer's memory does not grow with the input while it waits") {
    // 300 ms a response, 4 connections: after 24 requests the pipeline has
    // been full for over a second, time enough for an unbounded reader to
    // read tens of thousands of rows.
    long small = peak_rss_while_waiting(1'000, "300", 24);
    long large = peak_rss_while_waiting(400'000, "300", 24);
    MESSAGE("peak RSS while waiting: " << small << " KiB for 1,000 rows, " << large << " KiB for 400,000");
    CHECK(small > 0);
    CHECK(large - small < 2 * 1024);
}
