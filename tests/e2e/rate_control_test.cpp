// Rate control end to end (docs/rate_control.md): the real importer against a
// real sandbox whose limit changes mid-run, that throttles a stray request at
// random, or that asks a row to wait. Outcomes are asserted through what the
// sandbox stored and counted, never through how long the run took.
#include "import_support.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <future>

using namespace prospect::test;
namespace json = boost::json;

namespace {

std::string write_leads(const temp_dir& dir, std::size_t n) {
    auto path = dir / "leads.csv";
    write_file(path, lead_rows(n));
    return path;
}

void set_limit(const sandbox_process& s, int rate, int burst) {
    tls_client client(s);
    auto reply = client.post("/_sandbox/limit", fmt::format(R"({{"rate":{},"burst":{}}})", rate, burst), "");
    REQUIRE(reply.status == 200);
}

long attempts_in(const std::vector<report_row>& rows) {
    long n = 0;
    for (const auto& r : rows) n += std::stol(r.attempts);
    return n;
}

// Every row added, and stored once with one post: a row answered 429 was not
// stored, so nothing was sent twice that the server took.
void check_all_added_once(const sandbox_process& sandbox, const std::vector<report_row>& rows, std::size_t n) {
    REQUIRE(rows.size() == n);
    for (const auto& r : rows) CHECK(r.outcome == "added");
    auto store = stored(sandbox);
    CHECK(store.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
        auto it = store.find(lead_url(i));
        REQUIRE(it != store.end());
        CHECK(it->second.posts == 1);
    }
}

}  // namespace

TEST_CASE("a limit lowered mid-run through /_sandbox/limit is followed: every row added, few 429s") {
    // 200/s, then 100/s once 100 rows are in, with --rate 400 above both: the
    // pool must find each limit from the 429s alone.
    sandbox_process sandbox({"--rate", "200", "--burst", "20"});
    temp_dir dir;
    const std::size_t n = 400;
    auto input = write_leads(dir, n);
    auto run = std::async(std::launch::async, [&] {
        return import_into(sandbox, {"--rate", "400", "--burst", "8", "--connections", "8", input});
    });
    wait_until([&] { return stats(sandbox).by_status[201] >= 100; }, "100 rows added at the first limit");
    set_limit(sandbox, 100, 10);
    // The second the change fell in, counted from the first POST as perSecond is.
    const auto change = timeline(sandbox).per_second.size() - 1;
    auto r = run.get();
    INFO(r.err);
    CHECK(r.status == 0);

    auto rows = read_report(input + ".report.csv");
    check_all_added_once(sandbox, rows, n);
    auto s = stats(sandbox);
    INFO("requests: ", s.requests, ", 429s: ", s.by_status[429]);
    CHECK(s.by_status[201] == static_cast<long>(n));
    CHECK(s.requests == attempts_in(rows));
    // The contract allows 2% over a minute; a run of seconds is mostly the
    // two searches for a limit, so the bound is generous. A pool that kept
    // its pace after the change would have half its requests refused.
    CHECK(s.by_status[429] * 10 < s.requests);

    // From the first whole second after the change, the pool paces near the
    // new limit. The timeline counts every arrival, 429s included, on the
    // sandbox's own clock; a load that slows the importer only lowers these
    // counts. The margin covers a probe (1.25x for half a second) and the
    // bucket's burst; the old pace would be twice the new limit.
    auto t = timeline(sandbox);
    INFO("change in second ", change, "; per second: ", fmt::format("{}", fmt::join(t.per_second, ",")));
    REQUIRE(t.per_second.size() > change + 2);
    for (auto i = change + 2; i < t.per_second.size(); ++i) CHECK(t.per_second[i] <= 100 + 10 + 40);
}

TEST_CASE("stray 429s do not stop the pool: every row added once, as many retries as 429s, no pause") {
    // 1% of requests answered 429 at random (Retry-After: 1), no limit. The
    // seed's draws throttle some of the first thousand requests whatever
    // their order, so the run does meet 429s.
    sandbox_process sandbox({"--throttle-rate", "0.01", "--seed", "3"});
    temp_dir dir;
    const std::size_t n = 1000;
    auto input = write_leads(dir, n);
    auto r = import_into(sandbox, {"--rate", "1000", "--burst", "8", "--connections", "8", input});
    INFO(r.err);
    CHECK(r.status == 0);

    auto rows = read_report(input + ".report.csv");
    check_all_added_once(sandbox, rows, n);
    auto s = stats(sandbox);
    CHECK(s.by_status[429] > 0);
    CHECK(s.by_status[201] == static_cast<long>(n));
    CHECK(s.requests == s.by_status[201] + s.by_status[429]);
    // Each 429 cost its row one more attempt and nothing else: no row gave up.
    CHECK(attempts_in(rows) - static_cast<long>(n) == s.by_status[429]);
    // A pool pause is only for a server that accepts nothing.
    CHECK(r.err.find("pausing") == std::string::npos);
}

TEST_CASE("the throttled row waits its Retry-After: its next attempt is accepted, not refused again") {
    // One token every 2 s, one in the bucket: of two rows sent at once, one
    // is added and the other answered 429 with Retry-After: 2 (the time its
    // token takes). Sent again no earlier, it finds the token and is added;
    // sent earlier, it would be refused again.
    sandbox_process sandbox({"--rate", "0.5", "--burst", "1"});
    temp_dir dir;
    auto input = write_leads(dir, 2);
    auto r = import_into(sandbox, {"--connections", "2", input});
    INFO(r.err);
    CHECK(r.status == 0);

    auto rows = read_report(input + ".report.csv");
    check_all_added_once(sandbox, rows, 2);
    auto s = stats(sandbox);
    CHECK(s.by_status[201] == 2);
    CHECK(s.by_status[429] == 1);
    CHECK(attempts_in(rows) == 3);
    // On the sandbox's clock: the last POST came at least the Retry-After
    // after the first (a lower bound, which a slow machine only widens).
    auto t = timeline(sandbox);
    CHECK(t.posts == 3);
    CHECK(t.span_us >= 2'000'000);
}
