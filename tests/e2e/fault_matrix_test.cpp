// Issue 6's fault matrix: 5xx, dropped responses, latency around --timeout
// and keep-alive connections closed after every response, in every
// combination. Whatever the faults, every row is in the report once, in
// order; no URL is stored twice; every row reported added is stored; and
// re-running the same command finishes the file (nothing is lost).
#include "import_support.hpp"

#include <doctest/doctest.h>

using namespace prospect::test;

namespace {

struct faults {
    std::string fail_rate;
    std::string drop_rate;
    std::string latency_ms;  // "0", or around the 100 ms --timeout below
    std::string keepalive;   // close after this many responses; empty: never
};

std::vector<faults> matrix() {
    std::vector<faults> out;
    for (const char* fail : {"0", "0.15"})
        for (const char* drop : {"0", "0.1"})
            for (const char* latency : {"0", "60-140"})
                for (const char* keepalive : {"", "1"}) out.push_back({fail, drop, latency, keepalive});
    return out;
}

}  // namespace

TEST_CASE("every fault combination: every row accounted for, none stored twice, a re-run finishes the file") {
    constexpr std::size_t rows = 80;
    int seed = 1;
    for (const auto& f : matrix()) {
        CAPTURE(f.fail_rate);
        CAPTURE(f.drop_rate);
        CAPTURE(f.latency_ms);
        CAPTURE(f.keepalive);
        std::vector<std::string> options = {"--fail-rate", f.fail_rate, "--drop-rate", f.drop_rate,
                                            "--latency-ms", f.latency_ms, "--seed", std::to_string(seed++)};
        if (!f.keepalive.empty()) options.insert(options.end(), {"--keepalive-requests", f.keepalive});
        sandbox_process sandbox(options);
        temp_dir dir;
        auto input = dir / "leads.csv";
        write_file(input, lead_rows(rows));
        const std::vector<std::string> args = {"--timeout", "0.1", "--connections", "8", "--quiet", input};

        auto first = import_into(sandbox, args);
        INFO(first.err);
        CHECK((first.status == 0 || first.status == 1));
        auto report = read_report(input + ".report.csv");
        REQUIRE(report.size() == rows);
        auto store = stored(sandbox);  // throws if a URL were stored twice
        for (std::size_t i = 0; i < rows; ++i) {
            CHECK(report[i].row == i + 2);
            CHECK((report[i].outcome == "added" || report[i].outcome == "failed"));
            if (report[i].outcome == "added") CHECK(store.count(lead_url(i)) == 1);
        }
        for (const auto& [url, p] : store) CHECK(url.rfind("https://www.linkedin.com/in/lead-", 0) == 0);

        // Failed rows are not final: the same command sends them again.
        for (int run = 0; run < 5 && read_report(input + ".report.csv").size() == rows; ++run) {
            std::size_t added = 0;
            for (const auto& r : read_report(input + ".report.csv")) added += r.outcome == "added";
            if (added == rows) break;
            auto again = import_into(sandbox, args);
            CHECK((again.status == 0 || again.status == 1));
        }
        std::size_t added = 0;
        for (const auto& r : read_report(input + ".report.csv")) added += r.outcome == "added";
        CHECK(added == rows);
        CHECK(stored(sandbox).size() == rows);
    }
}
