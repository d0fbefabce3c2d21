#include "prospect/app/progress.hpp"

#include <doctest/doctest.h>
#include <vector>

using namespace prospect::app;
using namespace std::chrono_literals;
using prospect::policy::outcome;
using clock_type = std::chrono::steady_clock;

namespace {

void add(tally& t, outcome o, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) t.add(o);
}

// 4,500 rows done of about 10,000: half the file's bytes held 5,000 rows.
progress_snapshot halfway() {
    progress_snapshot s;
    add(s.counts, outcome::added, 4400);
    add(s.counts, outcome::rejected, 3);
    add(s.counts, outcome::invalid, 90);
    add(s.counts, outcome::failed, 7);
    s.rows_read = 5000;
    s.bytes_read = 500'000;
    s.input_size = 1'000'000;
    s.effective_rate = 5;
    s.configured_rate = 5;
    return s;
}

progress_params terminal() {
    progress_params p;
    p.tty = true;
    p.width = 200;
    return p;
}

}  // namespace

TEST_CASE("the total is exact once reading is done, estimated from bytes for a file, unknown for a pipe") {
    auto s = halfway();
    auto t = estimate_total(s);
    CHECK(t.known);
    CHECK_FALSE(t.exact);
    CHECK(t.rows == 10'000);

    s.reading_done = true;
    s.rows_read = 9'876;
    t = estimate_total(s);
    CHECK(t.exact);
    CHECK(t.rows == 9'876);

    s.reading_done = false;
    s.input_size = 0;
    CHECK_FALSE(estimate_total(s).known);
}

TEST_CASE("the estimate never falls below the rows already read") {
    auto s = halfway();
    s.bytes_read = s.input_size;  // the whole file buffered, rows still being cut
    CHECK(estimate_total(s).rows == s.rows_read);
}

TEST_CASE("ETA is the rows left at the measured rate, none without a total or a rate") {
    auto s = halfway();
    CHECK(estimate_eta(s, 50.0) == std::chrono::seconds(110));
    CHECK(estimate_eta(s, 0.0) == std::nullopt);
    s.input_size = 0;
    CHECK(estimate_eta(s, 50.0) == std::nullopt);
}

TEST_CASE("issue 11: rows settled without a request count as done, not in the rate, and the ETA spares them") {
    const auto t0 = clock_type::time_point{} + 1h;
    progress_reporter r({}, t0);
    // A resumed run: 9,000 rows final in an earlier run went by at once.
    progress_snapshot s;
    s.input_size = 1'000'000;
    s.bytes_read = 1'000'000;
    s.reading_done = true;
    s.rows_read = 10'000;
    add(s.counts, outcome::added, 9'000);
    s.settled_early = 9'000;
    r.tick(s, t0);
    // Then 20 rows/s are sent for 30 s: 400 rows are left, 20 s at that rate.
    for (int sec = 1; sec <= 30; ++sec) {
        add(s.counts, outcome::added, 20);
        r.tick(s, t0 + std::chrono::seconds(sec));
    }
    const double rate = r.rows_per_second(s, t0 + 30s);
    CHECK(rate == doctest::Approx(20).epsilon(0.05));
    auto eta = estimate_eta(s, rate);
    REQUIRE(eta);
    CHECK(eta->count() == doctest::Approx(20).epsilon(0.06));
}

TEST_CASE("issue 11: the ETA counts only the unread rows that will need a request") {
    progress_snapshot s;
    s.input_size = 1'000'000;
    s.bytes_read = 500'000;
    s.rows_read = 5'000;       // half the file: 10,000 rows in all
    add(s.counts, outcome::invalid, 1'000);
    add(s.counts, outcome::added, 3'000);
    s.settled_early = 1'000;   // one row in five needs no request
    // 1,000 read rows in flight or queued, 5,000 unread of which 4,000 need a request.
    CHECK(estimate_eta(s, 50.0) == std::chrono::seconds(100));
}

TEST_CASE("durations read like a clock, to the second under an hour") {
    CHECK(format_duration(0s) == "0s");
    CHECK(format_duration(-5s) == "0s");
    CHECK(format_duration(45s) == "45s");
    CHECK(format_duration(59600ms) == "1m00s");
    CHECK(format_duration(65s) == "1m05s");
    CHECK(format_duration(105s) == "1m45s");
    CHECK(format_duration(2h + 3min + 20s) == "2h03m");
    CHECK(format_duration(24h * 3 + 4h) == "3d04h");
}

TEST_CASE("the terminal line: bar, percentage, rows, rate, ETA and the outcomes that occurred") {
    CHECK(format_progress_line(halfway(), 52.1, false, 200) ==
          "[#########...........]   45%  4,500/~10,000 rows  52.1/s  ETA 1m46s  "
          "added 4,400  rejected 3  invalid 90  failed 7");
}

TEST_CASE("the terminal line shows an exact total without a tilde and no rate before it is measured") {
    progress_snapshot s;
    add(s.counts, outcome::added, 10);
    s.rows_read = 40;
    s.reading_done = true;
    CHECK(format_progress_line(s, 0, false, 200) == "[#####...............]   25%  10/40 rows  added 10");
}

TEST_CASE("from a pipe the line counts rows and bytes, with neither percentage nor ETA") {
    progress_snapshot s;
    add(s.counts, outcome::added, 1200);
    s.rows_read = 1300;
    s.bytes_read = 98'304;
    CHECK(format_progress_line(s, 12.5, false, 200) == "1,200 rows (96.0 KiB read)  12.5/s  added 1,200");
}

TEST_CASE("a Retry-After pause and a rate lowered by 429s are shown") {
    auto s = halfway();
    s.throttle_pause = 2s;
    CHECK(format_progress_line(s, 52.1, false, 200).ends_with("failed 7  paused 2.0s (Retry-After)"));
    s.effective_rate = 3.5;
    CHECK(format_progress_line(s, 52.1, false, 200)
              .ends_with("failed 7  paused 2.0s (Retry-After), slowed to 3.5/s (429)"));
    s.throttle_pause = {};
    CHECK(format_progress_line(s, 52.1, false, 200).ends_with("failed 7  slowed to 3.5/s (429)"));
    s.effective_rate = 5;
    CHECK(format_progress_line(s, 52.1, false, 200).ends_with("failed 7"));
}

TEST_CASE("a narrow terminal loses the bar first, then the outcome counts, and the line never wraps") {
    auto s = halfway();
    s.throttle_pause = 2s;
    CHECK(format_progress_line(s, 52.1, false, 120) ==
          " 45%  4,500/~10,000 rows  52.1/s  ETA 1m46s  added 4,400  rejected 3  invalid 90  failed 7  "
          "paused 2.0s (Retry-After)");
    CHECK(format_progress_line(s, 52.1, false, 80) ==
          " 45%  4,500/~10,000 rows  52.1/s  ETA 1m46s  paused 2.0s (Retry-After)");
    CHECK(format_progress_line(s, 52.1, false, 30) == " 45%  4,500/~10,000 rows");
    auto tiny = format_progress_line(s, 52.1, true, 12);
    CHECK(tiny == " 45%  4,500");
    for (std::size_t width = 1; width < 220; ++width)
        CHECK(format_progress_line(s, 52.1, false, width).size() < std::max<std::size_t>(width, 2));
}

TEST_CASE("colours only when asked, and they take no width") {
    auto s = halfway();
    CHECK(format_progress_line(s, 52.1, false, 200).find('\x1b') == std::string::npos);
    auto colored = format_progress_line(s, 52.1, true, 200);
    CHECK(colored.find("\x1b[32madded 4,400\x1b[0m") != std::string::npos);
    CHECK(colored.find("\x1b[31mfailed 7\x1b[0m") != std::string::npos);
    // The colour escapes do not count against the width: same parts kept.
    CHECK(format_progress_line(s, 52.1, true, 100).find("added") != std::string::npos);
}

TEST_CASE("the log line says it all in one sentence, without colour") {
    auto s = halfway();
    s.throttle_pause = 2s;
    CHECK(format_log_line(s, 52.1, 100s) ==
          "progress after 1m40s: 4,500/~10,000 rows (45%), 52.1 rows/s, ETA 1m46s; "
          "added 4,400, rejected 3, invalid 90, failed 7; paused 2.0s (Retry-After)");
    progress_snapshot pipe;
    add(pipe.counts, outcome::added, 3);
    pipe.bytes_read = 512;
    CHECK(format_log_line(pipe, 0, 1s) == "progress after 1s: 3 rows (512 B read); added 3");
}

TEST_CASE("on a terminal the line is redrawn in place at most once per 100 ms") {
    const auto t0 = clock_type::time_point{} + 1h;
    progress_reporter r(terminal(), t0);
    progress_snapshot s;
    s.rows_read = 1000;
    s.reading_done = true;
    std::vector<clock_type::time_point> drawn;
    for (int ms = 0; ms <= 1000; ms += 7) {
        s.counts.add(outcome::added);  // the line changes every time
        auto now = t0 + std::chrono::milliseconds(ms);
        auto out = r.tick(s, now);
        if (out.empty()) continue;
        CHECK(out.starts_with("\r"));
        CHECK(out.ends_with("\x1b[K"));
        CHECK(out.find('\n') == std::string_view::npos);
        drawn.push_back(now);
    }
    REQUIRE(drawn.size() >= 9);
    CHECK(drawn.size() <= 10);
    CHECK(drawn.front() >= t0 + 100ms);  // a run shorter than that shows only its summary
    for (std::size_t i = 1; i < drawn.size(); ++i) CHECK(drawn[i] - drawn[i - 1] >= 100ms);
}

TEST_CASE("an unchanged line is not redrawn, and clear() erases it so the next tick draws it again") {
    const auto t0 = clock_type::time_point{} + 1h;
    progress_reporter r(terminal(), t0);
    progress_snapshot s;
    s.rows_read = 10;
    s.reading_done = true;
    CHECK(r.clear().empty());  // nothing drawn yet
    CHECK_FALSE(r.tick(s, t0 + 100ms).empty());
    CHECK(r.tick(s, t0 + 200ms).empty());
    CHECK(r.clear() == "\r\x1b[K");
    CHECK(r.clear().empty());
    CHECK(std::string(r.tick(s, t0 + 300ms)) == "\r[....................]    0%  0/10 rows\x1b[K");
}

TEST_CASE("not on a terminal a log line comes every 10 s") {
    const auto t0 = clock_type::time_point{} + 1h;
    progress_reporter r({}, t0);
    CHECK(r.poll_interval() == 1s);
    progress_snapshot s;
    std::vector<std::string> lines;
    for (int sec = 1; sec <= 35; ++sec) {
        add(s.counts, outcome::added, 20);
        auto out = r.tick(s, t0 + std::chrono::seconds(sec));
        if (!out.empty()) lines.emplace_back(out);
    }
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "prospect-import: progress after 10s: 200 rows (0 B read), 20.0 rows/s; added 200\n");
    CHECK(lines[1].starts_with("prospect-import: progress after 20s: 400 rows"));
    CHECK(lines[2].starts_with("prospect-import: progress after 30s: 600 rows"));
}

TEST_CASE("--quiet shows no progress at all") {
    const auto t0 = clock_type::time_point{} + 1h;
    for (bool tty : {false, true}) {
        progress_params p = terminal();
        p.tty = tty;
        p.quiet = true;
        progress_reporter r(p, t0);
        progress_snapshot s;
        for (int sec = 0; sec <= 60; ++sec) {
            s.counts.add(outcome::added);
            CHECK(r.tick(s, t0 + std::chrono::seconds(sec)).empty());
        }
        CHECK(r.clear().empty());
    }
}

TEST_CASE("the rate follows the recent window, not the whole run") {
    const auto t0 = clock_type::time_point{} + 1h;
    progress_reporter r({}, t0);
    progress_snapshot s;
    auto at = [&](int ms) { return t0 + std::chrono::milliseconds(ms); };
    CHECK(r.rows_per_second(s, at(500)) == 0);  // under a second: not measured
    // 50 rows/s for 30 s, ticked every 100 ms.
    for (int ms = 100; ms <= 30'000; ms += 100) {
        add(s.counts, outcome::added, 5);
        r.tick(s, at(ms));
    }
    CHECK(r.rows_per_second(s, at(30'000)) == doctest::Approx(50).epsilon(0.05));
    // Then 10 rows/s: within a window and a bit the old speed is forgotten.
    for (int ms = 30'100; ms <= 45'000; ms += 100) {
        s.counts.add(outcome::added);
        r.tick(s, at(ms));
    }
    CHECK(r.rows_per_second(s, at(45'000)) == doctest::Approx(10).epsilon(0.05));
    // A stall shows as a falling rate, reaching 0.
    for (int ms = 45'100; ms <= 60'000; ms += 100) r.tick(s, at(ms));
    CHECK(r.rows_per_second(s, at(60'000)) == 0);
}

TEST_CASE("NO_COLOR (set and not empty) and TERM=dumb turn colour off") {
    CHECK(color_allowed(nullptr, "xterm-256color"));
    CHECK(color_allowed("", "xterm"));
    CHECK_FALSE(color_allowed("1", "xterm"));
    CHECK_FALSE(color_allowed(nullptr, "dumb"));
    CHECK(color_allowed(nullptr, nullptr));
}
