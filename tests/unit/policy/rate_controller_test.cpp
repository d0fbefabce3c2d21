#include "prospect/policy/rate_controller.hpp"

#include "rate_sim.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <utility>

using prospect::policy::rate_controller;
using prospect::policy::rate_controller_params;
using namespace std::chrono_literals;
using clock_type = rate_controller::clock;

namespace {

const clock_type::time_point t0 = rate_sim::start;
constexpr double infinity = std::numeric_limits<double>::infinity();

rate_controller_params params_with(double max_rate, double burst = 8) {
    rate_controller_params p;
    p.max_rate = max_rate;
    p.burst = burst;
    return p;
}

// Three pools: 8 connections on a fast network (they carry ~2,700/s, so even
// --rate 2000 is the pacer's to hold), the same at 5-25 ms (~530/s), and 32
// connections at internet round trips of 20-50 ms (~900/s). 8 connections at
// 20-50 ms carry only ~230/s: too few to tell a pacer's limit from the pool's.
struct named_pool {
    std::string name;
    rate_sim::pool_params pool;
};
const named_pool pools[] = {
    {"8 connections, 1-5 ms", {8, 1ms, 5ms}},
    {"8 connections, 5-25 ms", {8, 5ms, 25ms}},
    {"32 connections, 20-50 ms", {32, 20ms, 50ms}},
};

std::string figures(const rate_sim::run_result& r) {
    char line[160];
    std::snprintf(line, sizeof line, "%.1f ok/s, %.2f%% answered 429, pace up to %.0f/s", r.ok_rate(),
                  100 * r.throttled_share(), r.max_pace());
    return line;
}

// The same case run with the old controller and the new one; the old one's
// figures are printed for comparison, only the new one's are asserted.
template <class Server>
std::pair<rate_sim::run_result, rate_sim::run_result> old_and_new(const Server& server, double max_rate,
                                                                  const std::string& what,
                                                                  const named_pool& pool) {
    Server old_server = server;
    Server new_server = server;
    rate_sim::old_pacer old_pacer(max_rate, 8);
    rate_sim::new_pacer new_pacer(params_with(max_rate));
    auto old_run = rate_sim::run(old_pacer, old_server, pool.pool);
    auto new_run = rate_sim::run(new_pacer, new_server, pool.pool);
    MESSAGE(what << " (" << pool.name << "): old adaptive_rate " << figures(old_run) << "; new rate_controller "
                 << figures(new_run));
    return {std::move(old_run), std::move(new_run)};
}

// A controller fed answers by hand: each request sent `latency` before its
// answer, answers `gap` apart.
struct feeder {
    rate_controller c;
    clock_type::time_point now = t0 + 20ms;
    clock_type::duration gap = 10ms;
    clock_type::duration latency = 20ms;

    explicit feeder(const rate_controller_params& p) : c(p, t0) {}
    prospect::policy::answer_note answer(int status, std::optional<clock_type::duration> retry_after = {}) {
        auto note = c.on_answer(now, status, retry_after, now - latency);
        now += gap;
        return note;
    }
};

}  // namespace

TEST_CASE("at first the pace is --rate and no limit is known") {
    rate_controller c(params_with(100), t0);
    CHECK(c.rate() == 100);
    CHECK(c.estimated_limit() == infinity);
    CHECK(c.paused_until() <= t0);
    CHECK(c.try_acquire(t0) == 0ns);
}

TEST_CASE("a stray 429 among successes does not lower the pace") {
    feeder f(params_with(100));
    for (int i = 0; i < 100; ++i) f.answer(200);
    for (int i = 0; i < 2; ++i) {
        auto note = f.answer(429, 1s);
        CHECK_FALSE(note.rate_lowered);
        CHECK(note.pause == 0s);
        for (int j = 0; j < 30; ++j) f.answer(200);
    }
    CHECK(f.c.rate() == 100);
    CHECK(f.c.estimated_limit() == infinity);
}

TEST_CASE("429s that are a real share of the answers lower the pace to just under what the server delivered") {
    feeder f(params_with(100));
    prospect::policy::answer_note note;
    // Sent at 100/s, every other one answered 429: the server delivers 50/s.
    for (int i = 0; !note.rate_lowered; ++i) {
        REQUIRE(i < 50);
        note = f.answer(i % 2 ? 429 : 200, 1s);
    }
    CHECK(f.c.estimated_limit() == doctest::Approx(50));
    CHECK(note.estimated_limit == doctest::Approx(50));
    // One round trip below the estimate, so that what is in flight does not
    // empty the server's bucket for the first requests at the new pace...
    CHECK(note.rate == doctest::Approx(0.75 * 50));
    CHECK(note.pause == 0s);

    SUBCASE("answers to requests sent before the cut do not cut again") {
        for (int i = 0; i < 10; ++i) CHECK_FALSE(f.answer(429, 1s).rate_lowered);
        CHECK(f.c.estimated_limit() == doctest::Approx(50));
    }
    SUBCASE("then it cruises just under the estimate") {
        const auto cut = f.now - f.gap;
        f.now = cut + f.latency + 1ms;
        f.c.on_answer(f.now, 200, std::nullopt, cut + 1ms);
        CHECK(f.c.rate() == doctest::Approx(0.98 * 50));
    }
}

TEST_CASE("after a cut, probes find the limit rose, and the pace climbs back to --rate but never above it") {
    for (double max_rate : {100.0, 0.0}) {
        CAPTURE(max_rate);
        rate_controller c(params_with(max_rate), t0);
        auto now = t0;
        // The server delivers 40/s and refuses the rest, then lifts its limit.
        std::deque<std::pair<clock_type::time_point, bool>> in_flight;
        bool lowered = false;
        double fastest = 0;
        int sent = 0;
        for (; now < t0 + 30s; now += 1ms) {
            while (!in_flight.empty() && in_flight.front().first + 20ms <= now) {
                const bool refuse = now < t0 + 5s && in_flight.front().second;
                lowered |= c.on_answer(now, refuse ? 429 : 200, 1s, in_flight.front().first).rate_lowered;
                in_flight.pop_front();
            }
            if (in_flight.size() < 8 && c.try_acquire(now) == 0ns) in_flight.push_back({now, ++sent % 5 >= 2});
            if (now >= t0 + 1s) fastest = std::max(fastest, c.rate());
        }
        CHECK(lowered);
        if (max_rate > 0) CHECK(fastest == max_rate);
        CHECK(c.estimated_limit() == infinity);
        CHECK(c.rate() == (max_rate > 0 ? max_rate : infinity));
    }
}

TEST_CASE("with --rate unlimited there is no bucket until the server objects") {
    feeder f(params_with(0));
    CHECK(f.c.rate() == infinity);
    for (int i = 0; i < 1000; ++i) CHECK(f.c.try_acquire(t0) == 0ns);
    prospect::policy::answer_note note;
    for (int i = 0; !note.rate_lowered; ++i) {
        REQUIRE(i < 50);
        note = f.answer(i % 2 ? 429 : 200, 1s);
    }
    CHECK(f.c.estimated_limit() == doctest::Approx(50));
    CHECK(f.c.rate() < infinity);
}

TEST_CASE("the pool pauses only when nothing gets through, for at most the Retry-After and the cap") {
    SUBCASE("Retry-After longer than the cap") {
        feeder f(params_with(100));
        prospect::policy::answer_note note;
        for (int i = 0; !note.rate_lowered; ++i) {
            REQUIRE(i < 50);
            note = f.answer(429, 30s);
        }
        CHECK(note.pause == 2s);
        CHECK(note.pause_capped);
        const auto at = f.now - f.gap;
        CHECK(f.c.paused_until() == at + 2s);
        CHECK(f.c.try_acquire(at + 500ms) == 1500ms);
        CHECK(f.c.try_acquire(at + 2s) == 0ns);
    }
    SUBCASE("Retry-After shorter than the cap") {
        feeder f(params_with(100));
        prospect::policy::answer_note note;
        for (int i = 0; !note.rate_lowered; ++i) note = f.answer(429, 1s);
        CHECK(note.pause == 1s);
        CHECK_FALSE(note.pause_capped);
    }
    SUBCASE("no pause while some requests get through") {
        feeder f(params_with(100));
        prospect::policy::answer_note note;
        for (int i = 0; !note.rate_lowered; ++i) note = f.answer(i % 4 ? 429 : 200, 30s);
        CHECK(note.pause == 0s);
        CHECK(f.c.paused_until() <= f.now);
    }
}

TEST_CASE("no HTTP answer, a timeout and a server error are neither delivered nor throttled") {
    feeder f(params_with(100));
    for (int status : {0, 408, 500, 503}) {
        CAPTURE(status);
        for (int i = 0; i < 50; ++i) CHECK_FALSE(f.answer(status, 1s).rate_lowered);
    }
    CHECK(f.c.rate() == 100);
    CHECK(f.c.estimated_limit() == infinity);
}

TEST_CASE("simulated: at or under the server's limit the pace is --rate, exactly, with no 429") {
    for (const auto& pool : pools) {
        CAPTURE(pool.name);
        auto [old_run, run] = old_and_new(rate_sim::bucket_server(200), 190, "limit 200/s, --rate 190", pool);
        CHECK(run.ok_rate() == doctest::Approx(190).epsilon(0.01));
        CHECK(run.total(&rate_sim::second::throttled) == 0);
        CHECK(run.max_sent_in_a_second() <= 190 + 8);
    }
}

TEST_CASE("simulated: --rate 1.25x to 10x above a 200/s token bucket gets 95% of the limit with at most 2% 429s") {
    for (const auto& pool : pools) {
        for (double factor : {1.25, 2.0, 4.0, 10.0}) {
            CAPTURE(pool.name);
            CAPTURE(factor);
            const std::string what = "limit 200/s, --rate " + std::to_string(static_cast<int>(200 * factor));
            auto [old_run, run] = old_and_new(rate_sim::bucket_server(200), 200 * factor, what, pool);
            CHECK(run.ok_rate() >= 0.95 * 200);
            CHECK(run.throttled_share() <= 0.02);
            CHECK(run.max_pace() <= 200 * factor);
        }
    }
}

TEST_CASE("simulated: stray 429s (1% at random, no limit) keep 90% of --rate") {
    for (const auto& pool : pools) {
        CAPTURE(pool.name);
        auto [old_run, run] =
            old_and_new(rate_sim::random_throttle_server(0.01), 400, "1% random 429s, --rate 400", pool);
        CHECK(run.ok_rate() >= 0.9 * 400);
        CHECK(run.max_pace() <= 400);
    }
}

namespace {

rate_sim::bucket_server changing_limit() { return rate_sim::bucket_server(200).then(60s, 100).then(120s, 300); }

}  // namespace

TEST_CASE("simulated: a limit going 200, 100, 300 is followed within 5 seconds, never above --rate") {
    for (const auto& pool : pools) {
        CAPTURE(pool.name);
        const auto server = changing_limit();
        auto [old_run, run] = old_and_new(server, 400, "limit 200 -> 100 -> 300/s every 60 s, --rate 400", pool);
        for (int from : {0, 60, 120}) {
            const double limit = server.limit_at(t0 + std::chrono::seconds(from));
            CAPTURE(limit);
            const double settled = run.ok_rate(from + 5, from + 60);
            MESSAGE("limit " << limit << "/s from " << from << " s, ok/s from +5 s: old " << old_run.ok_rate(from + 5, from + 60)
                             << ", new " << settled);
            CHECK(settled >= 0.9 * limit);
            CHECK(settled <= 1.01 * limit);
        }
        CHECK(run.throttled_share() <= 0.02);
        CHECK(run.max_pace() <= 400);
    }
}

// For bench scripts that plot the pace: PROSPECT_RATE_SIM_CSV=path writes the
// changing-limit case second by second, old controller beside new.
TEST_CASE("simulated: the changing limit, second by second, as CSV when PROSPECT_RATE_SIM_CSV names a file") {
    const char* path = std::getenv("PROSPECT_RATE_SIM_CSV");
    if (!path || !*path) return;
    auto old_server = changing_limit();
    auto new_server = changing_limit();
    rate_sim::old_pacer old_pacer(400, 8);
    rate_sim::new_pacer new_pacer(params_with(400));
    const auto& pool = pools[1];
    const auto old_run = rate_sim::run(old_pacer, old_server, pool.pool);
    const auto run = rate_sim::run(new_pacer, new_server, pool.pool);
    std::ofstream out(path);
    out << "second,limit,old_ok,old_429,old_pace,new_ok,new_429,new_pace\n";
    for (std::size_t s = 0; s < run.seconds.size(); ++s) {
        const auto& o = old_run.seconds[s];
        const auto& n = run.seconds[s];
        out << s << ',' << new_server.limit_at(t0 + std::chrono::seconds(s)) << ',' << o.ok << ',' << o.throttled
            << ',' << o.pace << ',' << n.ok << ',' << n.throttled << ',' << n.pace << '\n';
    }
    out.close();
    CHECK(out.good());
    MESSAGE("wrote " << std::string(path));
}
