// The whole pipeline (reader, row machines, limiter, workers, report) against
// model servers in simulated time: run_clock reads a time that the test moves
// on whenever the loop has nothing ready, so a simulated minute takes a
// fraction of a second and the figures are the same on any machine. These
// tests may assert rates: their clock is simulated. They check the contract's
// "Rate control" figures end to end, where tests/unit/policy checks the
// controller alone.
#include "prospect/app/pipeline.hpp"

#include "support/files.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace prospect::app;
namespace asio = boost::asio;
namespace net = prospect::net;
namespace report = prospect::report;
using namespace std::chrono_literals;
using time_point = run_clock::time_point;
using duration = run_clock::duration;

namespace {

double seconds(duration d) { return std::chrono::duration<double>(d).count(); }

// A token-bucket server like nginx's limit_req or prospect-sandbox's --rate:
// a request finding the bucket empty is answered 429 with Retry-After: 1.
// Optionally a share of requests is throttled at random whatever the rate,
// and the limit changes at given times.
struct model_server {
    struct change {
        duration at;  // after the server's start
        double limit;
    };
    double limit = 200;
    double burst = 20;
    double stray_share = 0;  // requests answered 429 at random
    std::vector<change> changes;
    duration latency = 20ms;  // a round trip; the bucket is consulted half way

    // What it did, for the assertions.
    std::vector<time_point> accepted;
    long throttled = 0;

    void start(time_point now) {
        start_ = last_ = now;
        tokens_ = burst;
    }

    net::post_result take(time_point now) {
        while (next_change_ < changes.size() && now >= start_ + changes[next_change_].at)
            limit = changes[next_change_++].limit;
        tokens_ = std::min(burst, tokens_ + limit * seconds(now - last_));
        last_ = now;
        net::post_result r;
        r.outcome = net::post_result::kind::response;
        r.request_sent = true;
        r.api_envelope = true;
        const bool stray = stray_share > 0 && std::bernoulli_distribution(stray_share)(random_);
        if (tokens_ < 1 || stray) {
            ++throttled;
            r.status = 429;
            r.retry_after = "1";
            return r;
        }
        tokens_ -= 1;
        accepted.push_back(now);
        r.status = 201;
        return r;
    }

    // Requests accepted per second in [from, to) after the start.
    double accepted_rate(duration from, duration to) const {
        auto n = std::count_if(accepted.begin(), accepted.end(),
                               [&](time_point t) { return t >= start_ + from && t < start_ + to; });
        return static_cast<double>(n) / seconds(to - from);
    }

private:
    time_point start_, last_;
    double tokens_ = 0;
    std::size_t next_change_ = 0;
    std::mt19937_64 random_{7};
};

class model_sender final : public sender {
public:
    model_sender(asio::any_io_executor ex, model_server& server) : timer_(ex), server_(server) {}

    asio::awaitable<net::post_result> post(std::string_view, duration) override {
        if (!co_await wait(server_.latency / 2)) co_return net::post_result{};
        auto r = server_.take(run_clock::now());
        if (!co_await wait(server_.latency / 2)) co_return net::post_result{};
        co_return r;
    }
    void abandon() override { timer_.cancel(); }

private:
    asio::awaitable<bool> wait(duration d) {
        timer_.expires_after(d);
        auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return !ec;
    }

    run_timer timer_;
    model_server& server_;
};

struct sim_result {
    long added = 0;
    long requests = 0;
    double seconds = 0;  // from the start to the run's end, simulated
    double rows_per_second() const { return added / seconds; }
    double throttled_share(const model_server& s) const { return static_cast<double>(s.throttled) / requests; }
};

// Imports `rows` rows at --rate `rate` (8 connections, --burst 8, as
// bench/import_goodput.sh) into `server`, in simulated time.
sim_result simulate(model_server& server, int rows, double rate) {
    prospect::test::temp_dir dir;
    std::string csv = "profileUrl,campaignId,prospectListId\n";
    for (int i = 0; i < rows; ++i)
        csv += fmt::format("https://www.linkedin.com/in/lead-{},8d256aa6-9b12-49a7-93ee-bf41634b5b60,"
                           "cf33282b-b171-4d23-ae02-848499d793e4\n",
                           i);
    prospect::test::write_file(dir / "in.csv", csv);
    config cfg;
    cfg.input_path = dir / "in.csv";
    cfg.reader.display_name = cfg.input_path;
    cfg.report_path = dir / "report.csv";
    cfg.connections = 8;
    cfg.rate = rate;
    cfg.burst = 8;

    time_point now = time_point{} + 24h;
    run_clock::simulate(&now);
    struct back_to_real_time {
        ~back_to_real_time() { run_clock::simulate(nullptr); }
    } restore;

    asio::io_context io;
    prospect::app::log out{verbosity::quiet};
    row_feed source(std::make_unique<row_source>(cfg), {.own_thread = false});
    report::report_writer report(cfg.report_path, cfg.report_format);
    auto pace = make_local_limiter(io.get_executor(), {cfg.rate, cfg.burst, cfg.max_throttle_wait}, out);
    const auto url = net::parse_base_url("https://api.example");
    pipeline pipe(io, {cfg, "key", url, [&] { return std::make_unique<model_sender>(io.get_executor(), server); },
                       *pace, source, report, out, nullptr});
    const auto start = now;
    server.start(start);
    bool finished = false;
    asio::co_spawn(io, pipe.run(), [&](std::exception_ptr e) {
        REQUIRE_FALSE(e);
        finished = true;
    });
    // The loop runs everything that is ready at this instant, then time moves
    // on by a step; the token bucket keeps the fractions, so a step longer
    // than the 0.5 ms between requests at 2000/s only groups their sends.
    while (!finished && now - start < 30min) {
        if (io.poll() == 0) now += 1ms;
        if (io.stopped()) io.restart();
    }
    REQUIRE(finished);
    report.finish();
    sim_result r;
    r.added = static_cast<long>(pipe.counts().count(prospect::policy::outcome::added));
    r.requests = static_cast<long>(pipe.requests_sent());
    r.seconds = seconds(now - start);
    return r;
}

}  // namespace

TEST_CASE("at or under the server's limit, the pipeline holds --rate within 1% with no 429") {
    for (const double rate : {100.0, 190.0}) {
        CAPTURE(rate);
        model_server server;
        auto r = simulate(server, static_cast<int>(rate * 60), rate);
        CHECK(r.added == static_cast<long>(rate * 60));
        CHECK(server.throttled == 0);
        CHECK(r.rows_per_second() >= 0.99 * rate);
        CHECK(r.rows_per_second() <= 1.01 * rate);
    }
}

TEST_CASE("--rate 1.25x to 10x over a 200/s limit: 95% of the limit over a minute, at most 2% 429s") {
    for (const double rate : {250.0, 400.0, 800.0, 2000.0}) {
        CAPTURE(rate);
        model_server server;
        auto r = simulate(server, 12'000, rate);
        CAPTURE(r.seconds);
        CAPTURE(r.requests);
        CHECK(r.added == 12'000);
        MESSAGE(fmt::format("--rate {}: {:.1f} rows/s, {:.2f}% 429s", rate, r.rows_per_second(),
                            100 * r.throttled_share(server)));
        CHECK(r.rows_per_second() >= 0.95 * server.limit);
        CHECK(r.throttled_share(server) <= 0.02);
    }
}

TEST_CASE("a stray 1% of 429s far from any limit: 90% of --rate") {
    model_server server;
    server.limit = 1e9;
    server.burst = 1e9;
    server.stray_share = 0.01;
    auto r = simulate(server, 24'000, 400);
    CAPTURE(r.seconds);
    CHECK(r.added == 24'000);
    MESSAGE(fmt::format("stray 429s: {:.1f} rows/s", r.rows_per_second()));
    CHECK(r.rows_per_second() >= 0.9 * 400);
}

TEST_CASE("a limit changed 200 -> 100 -> 300/s: settled near each within 5 s, never above --rate") {
    model_server server;
    server.changes = {{20s, 100}, {40s, 300}};
    const double rate = 400;
    auto r = simulate(server, 14'000, rate);
    REQUIRE(r.seconds > 60);
    CHECK(r.added == 14'000);
    const struct {
        duration from, to;
        double limit;
    } phases[] = {{5s, 20s, 200}, {25s, 40s, 100}, {45s, 60s, 300}};
    for (const auto& p : phases) {
        CAPTURE(p.limit);
        const double achieved = server.accepted_rate(p.from, p.to);
        MESSAGE(fmt::format("limit {}: {:.1f}/s", p.limit, achieved));
        CHECK(achieved >= 0.9 * p.limit);
        CHECK(achieved <= std::min(rate, p.limit) * 1.02);
    }
}
