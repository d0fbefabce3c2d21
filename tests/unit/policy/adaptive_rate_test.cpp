#include "adaptive_rate.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <queue>
#include <vector>

using prospect::policy::adaptive_rate;
using prospect::policy::adaptive_rate_params;
using prospect::policy::token_bucket;
using namespace std::chrono_literals;
using clock_type = adaptive_rate::clock;

namespace {

const clock_type::time_point t0{std::chrono::hours(1000)};

adaptive_rate_params params_with(double max_rate, double burst) {
    adaptive_rate_params p;
    p.max_rate = max_rate;
    p.burst = burst;
    return p;
}

// Sends at a steady pace so that the measured rate settles at `rate`.
clock_type::time_point send_steadily(adaptive_rate& a, clock_type::time_point from, double rate, int count) {
    const auto gap = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(1 / rate));
    auto now = from;
    for (int i = 0; i < count; ++i) {
        for (auto wait = a.try_acquire(now); wait > 0ns; wait = a.try_acquire(now)) now += wait;
        now += gap;
    }
    return now;
}

}  // namespace

TEST_CASE("the rate starts at --rate and success alone never moves it") {
    adaptive_rate a(params_with(20, 4), t0);
    CHECK(a.rate() == 20);
    for (int i = 0; i < 100; ++i) a.on_success(t0 + std::chrono::seconds(i));
    CHECK(a.rate() == 20);
}

TEST_CASE("a 429 cuts the rate by 0.7, once per holdoff") {
    adaptive_rate a(params_with(20, 4), t0);
    auto note = a.on_throttled(t0, std::nullopt);
    CHECK(note.rate_lowered);
    CHECK(a.rate() == doctest::Approx(14));
    CHECK(note.rate == doctest::Approx(14));
    CHECK(note.pause == 0s);

    // The rest of the requests that were in flight come back 429 too.
    for (auto d : {10ms, 200ms, 999ms}) CHECK_FALSE(a.on_throttled(t0 + d, std::nullopt).rate_lowered);
    CHECK(a.rate() == doctest::Approx(14));

    CHECK(a.on_throttled(t0 + 1s, std::nullopt).rate_lowered);
    CHECK(a.rate() == doctest::Approx(9.8));
}

TEST_CASE("the rate never drops below the floor") {
    adaptive_rate a(params_with(20, 4), t0);
    for (int i = 0; i < 50; ++i) a.on_throttled(t0 + std::chrono::seconds(2 * i), std::nullopt);
    CHECK(a.rate() == doctest::Approx(0.5));

    SUBCASE("nor below a --rate that is itself under the floor") {
        adaptive_rate slow(params_with(0.2, 1), t0);
        slow.on_throttled(t0, std::nullopt);
        CHECK(slow.rate() == doctest::Approx(0.2));
    }
}

TEST_CASE("after a cut the rate regrows along a cubic curve, up to --rate and never above") {
    adaptive_rate a(params_with(20, 4), t0);
    a.on_throttled(t0, std::nullopt);  // from 20 to 14
    // K = max(10 s, 50 requests / 20/s): back at 20 after 10 s.
    const auto at = [](double s) {
        return t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
    };
    double previous = a.rate();
    for (double s = 0.1; s < 9.9; s += 0.1) {
        a.on_success(at(s));
        CHECK(a.rate() >= previous);
        CHECK(a.rate() < 20);
        previous = a.rate();
    }
    // Concave: well over half of the way back within the first half of K.
    adaptive_rate b(params_with(20, 4), t0);
    b.on_throttled(t0, std::nullopt);
    b.on_success(at(5));
    CHECK(b.rate() == doctest::Approx(20 * (1 - 0.3 * 0.125)));

    for (int s = 10; s < 60; ++s) {
        a.on_success(t0 + std::chrono::seconds(s));
        CHECK(a.rate() <= 20);
    }
    CHECK(a.rate() == 20);
}

TEST_CASE("at low rates the climb back spans recovery_requests requests") {
    adaptive_rate_params p = params_with(2, 1);
    adaptive_rate a(p, t0);
    a.on_throttled(t0, std::nullopt);  // from 2 to 1.4; K = 50 / 2 = 25 s
    a.on_success(t0 + 10s);
    CHECK(a.rate() < 1.9);
    a.on_success(t0 + 25s);
    CHECK(a.rate() == doctest::Approx(2));
}

TEST_CASE("a 429 cuts the measured send rate when the connections, not the bucket, set the pace") {
    adaptive_rate a(params_with(50, 4), t0);
    const auto now = send_steadily(a, t0, 10, 30);
    CHECK(a.measured_rate() == doctest::Approx(10).epsilon(0.05));
    a.on_throttled(now, std::nullopt);
    CHECK(a.rate() == doctest::Approx(7).epsilon(0.05));
}

TEST_CASE("regrowth stays within twice what is being sent") {
    adaptive_rate a(params_with(1000, 4), t0);
    auto now = send_steadily(a, t0, 10, 30);
    a.on_throttled(now, std::nullopt);
    now = send_steadily(a, now, 7, 70);
    a.on_success(now);
    CHECK(a.rate() <= 2 * a.measured_rate() + 1e-9);
    CHECK(a.rate() < 20);
}

TEST_CASE("Retry-After pauses the whole pool") {
    adaptive_rate a(params_with(10, 2), t0);
    const auto note = a.on_throttled(t0, 3s);
    CHECK(note.pause == 3s);
    CHECK(note.requested_pause == 3s);
    CHECK_FALSE(note.pause_capped);
    CHECK(a.paused_until() == t0 + 3s);
    // Tokens are left in the bucket, yet nothing goes before the pause ends.
    CHECK(a.try_acquire(t0) == 3s);
    CHECK(a.try_acquire(t0 + 1s) == 2s);
    // A later 429 extends the pause; an earlier-ending one does not shorten it.
    a.on_throttled(t0 + 2s, 5s);
    CHECK(a.paused_until() == t0 + 7s);
    a.on_throttled(t0 + 3s, 1s);
    CHECK(a.paused_until() == t0 + 7s);

    SUBCASE("an absurd Retry-After is capped, and the note says so") {
        const auto capped = a.on_throttled(t0 + 4s, std::chrono::hours(24));
        CHECK(capped.pause_capped);
        CHECK(capped.pause == 120s);
        CHECK(capped.requested_pause == std::chrono::hours(24));
        CHECK(a.paused_until() == t0 + 124s);
    }
    SUBCASE("a Retry-After on a 503 pauses without cutting the rate") {
        const double before = a.rate();
        const auto p = a.pause_for(t0 + 4s, 10s);
        CHECK_FALSE(p.rate_lowered);
        CHECK(a.rate() == before);
        CHECK(a.paused_until() == t0 + 14s);
    }
}

TEST_CASE("an unlimited --rate stays unlimited until the server objects") {
    adaptive_rate a(params_with(0, 4), t0);
    CHECK(std::isinf(a.rate()));
    for (int i = 0; i < 1000; ++i) REQUIRE(a.try_acquire(t0) == 0ns);
    // A thousand sends in the first instant: the cut starts from that pace.
    a.on_throttled(t0 + 10ms, std::nullopt);
    CHECK(std::isfinite(a.rate()));
    CHECK(a.rate() == doctest::Approx(0.7 * 2000));
}

TEST_CASE("what piled up during a pause does not leave as one burst") {
    adaptive_rate a(params_with(10, 8), t0);
    a.on_throttled(t0, 5s);  // rate 7/s from here
    CHECK(a.try_acquire(t0 + 5s) == 0ns);
    const auto next = a.try_acquire(t0 + 5s);
    CHECK(next > 0ns);
    CHECK(next == std::chrono::ceil<clock_type::duration>(std::chrono::duration<double>(1 / 7.0)));
}

namespace {

// A pool of workers, each sending a request as soon as the limiter lets it,
// against a server with its own token bucket that answers 429 with a
// Retry-After rounded up to whole seconds (as HTTP requires).
struct simulation_result {
    int requests = 0;
    int throttled = 0;
    double seconds = 0;
    double successes_per_second = 0;
};

simulation_result simulate(double client_rate, double server_rate, double server_burst, int workers,
                           clock_type::duration rtt, int total_requests) {
    adaptive_rate limiter(params_with(client_rate, workers), t0);
    token_bucket server(server_rate, server_burst, t0);

    enum class step { send, arrive, respond };
    struct event {
        clock_type::time_point at;
        int worker;
        step what;
        bool throttled = false;
        clock_type::duration retry_after{};
        bool operator>(const event& o) const { return at > o.at || (at == o.at && worker > o.worker); }
    };
    std::priority_queue<event, std::vector<event>, std::greater<>> queue;
    for (int w = 0; w < workers; ++w) queue.push({t0, w, step::send});

    simulation_result r;
    auto now = t0;
    while (!queue.empty()) {
        event e = queue.top();
        queue.pop();
        now = e.at;
        switch (e.what) {
        case step::send:
            if (r.requests == total_requests) break;
            if (const auto wait = limiter.try_acquire(now); wait > 0ns) {
                queue.push({now + wait, e.worker, step::send});
                break;
            }
            ++r.requests;
            queue.push({now + rtt / 2, e.worker, step::arrive});
            break;
        case step::arrive: {
            const auto wait = server.try_take(now);
            const bool throttled = wait > 0ns;
            queue.push({now + rtt / 2, e.worker, step::respond, throttled, std::chrono::ceil<std::chrono::seconds>(wait)});
            break;
        }
        case step::respond:
            if (e.throttled) {
                ++r.throttled;
                limiter.on_throttled(now, e.retry_after);
            } else {
                limiter.on_success(now);
            }
            queue.push({now, e.worker, step::send});
            break;
        }
    }
    r.seconds = std::chrono::duration<double>(now - t0).count();
    r.successes_per_second = (r.requests - r.throttled) / r.seconds;
    return r;
}

}  // namespace

TEST_CASE("against a server limit below --rate, few requests come back 429") {
    struct scenario {
        double client_rate, server_rate, server_burst;
        int workers;
        clock_type::duration rtt;
    };
    for (const scenario& s : {scenario{50, 20, 5, 8, 40ms}, scenario{10, 4, 2, 4, 80ms}, scenario{100, 30, 10, 16, 30ms},
                              scenario{5, 2, 1, 4, 50ms}, scenario{5, 0.5, 1, 4, 50ms},
                              scenario{0 /* unlimited */, 20, 5, 8, 40ms}}) {
        const auto r = simulate(s.client_rate, s.server_rate, s.server_burst, s.workers, s.rtt, 4000);
        INFO("client " << s.client_rate << "/s, server " << s.server_rate << "/s: " << r.throttled << " of "
                       << r.requests << " throttled, " << r.successes_per_second << " added/s");
        CHECK(r.requests == 4000);
        CHECK(r.throttled < r.requests / 20);
        // Not bought by giving up throughput: most of the server's rate is used.
        CHECK(r.successes_per_second > 0.6 * s.server_rate);
        CHECK(r.successes_per_second <= s.server_rate * 1.01 + s.server_burst / r.seconds);
    }
}

TEST_CASE("against a server that keeps up, nothing is throttled and --rate is reached") {
    const auto r = simulate(20, 40, 10, 8, 40ms, 2000);
    CHECK(r.throttled == 0);
    CHECK(r.successes_per_second == doctest::Approx(20).epsilon(0.02));
}
