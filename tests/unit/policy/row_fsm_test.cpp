#include "prospect/policy/row_fsm.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <vector>

using namespace prospect::policy;
using namespace std::chrono_literals;
using clock_type = row_fsm::clock;

namespace {

const clock_type::time_point t0{std::chrono::hours(1000)};

attempt_result http(int status, std::optional<clock_type::duration> retry_after = {}) {
    return attempt_result::http(status, retry_after);
}

// Drives a row through a script of results with a fake clock that advances
// by every wait; what the driver would do, minus the I/O.
struct scripted_run {
    row_action last;
    std::vector<clock_type::duration> waits;
    clock_type::time_point now = t0;
    int sends = 0;
};

scripted_run run_script(row_fsm& fsm, const std::vector<attempt_result>& script) {
    scripted_run r;
    std::size_t next = 0;
    for (auto act = fsm.start(r.now);;) {
        if (act.type == row_action::done) {
            r.last = act;
            return r;
        }
        if (act.type == row_action::wait) {
            r.waits.push_back(act.delay);
            r.now += act.delay;
            act = fsm.on_wait_done(r.now);
            continue;
        }
        ++r.sends;
        REQUIRE(next < script.size());
        act = fsm.on_result(script[next++], r.now);
    }
}

row_params with(int max_retries, clock_type::duration max_throttle_wait = 600s) {
    row_params p;
    p.max_retries = max_retries;
    p.max_throttle_wait = max_throttle_wait;
    return p;
}

std::vector<attempt_result> repeat(const attempt_result& a, int n, std::vector<attempt_result> tail = {}) {
    std::vector<attempt_result> v(static_cast<std::size_t>(n), a);
    v.insert(v.end(), tail.begin(), tail.end());
    return v;
}

}  // namespace

TEST_CASE("a first-try success is added after one attempt") {
    row_fsm fsm({}, 1);
    const auto r = run_script(fsm, {http(201)});
    CHECK(r.last.result == outcome::added);
    CHECK_FALSE(r.last.fatal);
    CHECK(fsm.attempts() == 1);
    CHECK(fsm.last_status() == 201);
    CHECK(fsm.finished());
    CHECK(fsm.describe().empty());
}

TEST_CASE("transient failures are retried with growing full-jitter backoff") {
    row_fsm fsm({}, 2);
    const auto r = run_script(fsm, repeat(http(503), 5, {http(201)}));
    CHECK(r.last.result == outcome::added);
    CHECK(fsm.attempts() == 6);
    REQUIRE(r.waits.size() == 5);
    for (std::size_t i = 0; i < r.waits.size(); ++i) {
        CHECK(r.waits[i] >= 0ns);
        CHECK(r.waits[i] < backoff_ceiling(100ms, static_cast<int>(i), 20s));
    }
}

TEST_CASE("retries beyond --max-retries end failed") {
    SUBCASE("statuses") {
        row_fsm fsm({}, 3);
        const auto r = run_script(fsm, repeat(http(503), 6));
        CHECK(r.last.result == outcome::failed);
        CHECK_FALSE(r.last.fatal);
        CHECK(r.last.reason == row_end::retries_exhausted);
        CHECK(fsm.attempts() == 6);
        CHECK(fsm.last_status() == 503);
        CHECK(fsm.describe() == "gave up after 6 attempts: last 503");
    }
    SUBCASE("transport failures, after an earlier status") {
        row_fsm fsm(with(2), 3);
        const auto r = run_script(fsm, {http(502), attempt_result::transport(attempt_kind::connection_lost),
                                        attempt_result::transport(attempt_kind::timed_out)});
        CHECK(r.last.result == outcome::failed);
        CHECK(fsm.attempts() == 3);
        CHECK(fsm.last_status() == 502);  // the last status seen, for the report
        CHECK(fsm.describe() == "gave up after 3 attempts: last timed out");
    }
    SUBCASE("no retries at all") {
        row_fsm fsm(with(0), 3);
        run_script(fsm, {http(500)});
        CHECK(fsm.attempts() == 1);
        CHECK(fsm.describe() == "gave up after 1 attempt: last 500");
    }
}

TEST_CASE("429s do not count against --max-retries") {
    row_fsm fsm({}, 4);
    auto script = repeat(http(429), 10, repeat(http(503), 5, {http(201)}));
    const auto r = run_script(fsm, script);
    CHECK(r.last.result == outcome::added);
    CHECK(fsm.attempts() == 16);
    // Throttled waits start from a one-second base.
    for (int i = 0; i < 10; ++i) CHECK(r.waits[i] < backoff_ceiling(1s, i, 20s));
}

TEST_CASE("a row throttled for longer than --max-throttle-wait ends failed") {
    row_fsm fsm(with(5, 600s), 5);
    const auto r = run_script(fsm, repeat(http(429), 10000));
    CHECK(r.last.result == outcome::failed);
    CHECK(r.last.reason == row_end::throttled_too_long);
    CHECK(fsm.describe() == "throttled (429) for longer than --max-throttle-wait 600 s");
    // The first 429 came at t0 (the first attempt); the row tried until the deadline and not after.
    CHECK(r.now - t0 <= 600s);
    CHECK(r.now - t0 >= 580s);
    CHECK(fsm.attempts() > 30);
}

TEST_CASE("Retry-After is a floor for the row's wait") {
    SUBCASE("on 429") {
        row_fsm fsm({}, 6);
        const auto r = run_script(fsm, {http(429, 30s), http(201)});
        REQUIRE(r.waits.size() == 1);
        CHECK(r.waits[0] == 30s);
    }
    SUBCASE("on 503") {
        row_fsm fsm({}, 6);
        const auto r = run_script(fsm, {http(503, 5s), http(201)});
        CHECK(r.waits.at(0) == 5s);
    }
    SUBCASE("an absurd one is capped") {
        row_fsm fsm({}, 6);
        const auto r = run_script(fsm, {http(429, std::chrono::hours(24)), http(201)});
        CHECK(r.waits.at(0) == 120s);
    }
    SUBCASE("one reaching past the throttle deadline ends the row at once") {
        row_fsm fsm(with(5, 60s), 6);
        const auto r = run_script(fsm, {http(429, 100s)});
        CHECK(r.waits.empty());
        CHECK(r.last.reason == row_end::throttled_too_long);
        CHECK(fsm.describe() == "throttled (429) for longer than --max-throttle-wait 60 s");
    }
    SUBCASE("a short one does not shorten the backoff") {
        row_fsm a({}, 9), b({}, 9);
        const auto with = run_script(a, repeat(http(503, 0s), 4, {http(201)}));
        const auto without = run_script(b, repeat(http(503), 4, {http(201)}));
        CHECK(with.waits == without.waits);
    }
}

TEST_CASE("non-retryable 4xx are rejected at once") {
    for (int status : {400, 404, 409, 422}) {
        row_fsm fsm({}, 7);
        const auto r = run_script(fsm, {http(status)});
        CHECK(r.last.result == outcome::rejected);
        CHECK_FALSE(r.last.fatal);
        CHECK(fsm.attempts() == 1);
        CHECK(fsm.last_status() == status);
        CHECK(fsm.describe() == "rejected by the API (HTTP " + std::to_string(status) + ")");
    }
}

TEST_CASE("a refused key or certificate fails the row and stops the run") {
    for (int status : {401, 403}) {
        row_fsm fsm({}, 8);
        const auto r = run_script(fsm, {http(status)});
        CHECK(r.last.result == outcome::failed);
        CHECK(r.last.fatal);
        CHECK(r.last.reason == row_end::key_refused);
        CHECK(fsm.describe() == "the API refused the key (HTTP " + std::to_string(status) + "); run stopped");
    }
    row_fsm fsm({}, 8);
    const auto r = run_script(fsm, {attempt_result::transport(attempt_kind::tls_verify_failed)});
    CHECK(r.last.result == outcome::not_sent);  // no request got through the handshake
    CHECK(r.last.fatal);
    CHECK(fsm.attempts() == 0);
    CHECK(fsm.describe() == "the server's certificate failed verification; run stopped");

    row_fsm handshake(with(1), 8);
    const auto h = run_script(handshake, {attempt_result::transport(attempt_kind::tls_failed), http(201)});
    CHECK(h.last.result == outcome::added);
    CHECK(handshake.attempts() == 1);  // the failed handshake sent no request
}

TEST_CASE("issue 11: failed connects and handshakes are not attempts: no request left") {
    row_fsm fsm(with(2), 8);
    const auto r = run_script(fsm, {attempt_result::transport(attempt_kind::connect_failed),
                                    attempt_result::transport(attempt_kind::tls_failed),
                                    attempt_result::transport(attempt_kind::connect_failed)});
    CHECK(r.last.result == outcome::failed);
    CHECK(fsm.attempts() == 0);
    CHECK(fsm.describe() == "gave up after 3 tries, none of which reached the API: last connect failed");
}

TEST_CASE("an unexpected status fails the row without retry or stopping the run") {
    row_fsm fsm({}, 9);
    const auto r = run_script(fsm, {http(301)});
    CHECK(r.last.result == outcome::failed);
    CHECK_FALSE(r.last.fatal);
    CHECK(fsm.attempts() == 1);
    CHECK(fsm.describe() == "unexpected HTTP 301; not retried");
}

TEST_CASE("stopping the run") {
    SUBCASE("before the first send: not_sent") {
        row_fsm fsm({}, 10);
        const auto a = fsm.on_stop(t0);
        REQUIRE(a);
        CHECK(a->type == row_action::done);
        CHECK(a->result == outcome::not_sent);
        CHECK(fsm.attempts() == 0);
        CHECK(fsm.describe() == "run stopped before the row was sent");
        CHECK(fsm.start(t0).result == outcome::not_sent);
    }
    SUBCASE("while waiting to retry: failed") {
        row_fsm fsm({}, 10);
        CHECK(fsm.start(t0).type == row_action::send);
        CHECK(fsm.on_result(http(503), t0).type == row_action::wait);
        const auto a = fsm.on_stop(t0 + 10ms);
        REQUIRE(a);
        CHECK(a->result == outcome::failed);
        CHECK(fsm.attempts() == 1);
        CHECK(fsm.describe() == "run stopped while the row waited to retry");
        // The driver's cancelled timer then reports in; nothing more is sent.
        CHECK(fsm.on_wait_done(t0 + 20ms).type == row_action::done);
    }
    SUBCASE("while a request is in flight: its result decides") {
        row_fsm ok({}, 10);
        ok.start(t0);
        CHECK_FALSE(ok.on_stop(t0).has_value());
        CHECK(ok.on_result(http(201), t0).result == outcome::added);

        row_fsm bad({}, 10);
        bad.start(t0);
        CHECK_FALSE(bad.on_stop(t0).has_value());
        const auto a = bad.on_result(http(503), t0);
        CHECK(a.type == row_action::done);
        CHECK(a.result == outcome::failed);
        CHECK(bad.attempts() == 1);
    }
}

TEST_CASE("the retry budget turns an outage into a quick run of failed rows") {
    retry_budget budget;
    int requests = 0, failed = 0;
    for (int row = 0; row < 1000; ++row) {
        row_fsm fsm({}, static_cast<std::uint64_t>(row), &budget);
        const auto r = run_script(fsm, repeat(http(503), 6));
        requests += r.sends;
        failed += r.last.result == outcome::failed;
    }
    CHECK(failed == 1000);
    // 1000 first attempts and the 100 retries 500 tokens buy; without the
    // budget it would be 6000.
    CHECK(requests == 1100);

    row_fsm late({}, 1, &budget);
    run_script(late, {http(503)});
    CHECK(late.reason() == row_end::retry_budget_exhausted);
    CHECK(late.describe() ==
          "gave up after 1 attempt: last 503; the run's retry budget is spent (too many failures across rows)");
}

TEST_CASE("the retry budget: timeouts cost more, 429s nothing, successes refund") {
    retry_budget budget;
    row_fsm a({}, 1, &budget);
    run_script(a, {attempt_result::transport(attempt_kind::timed_out), http(503), http(201)});
    CHECK(budget.available() == 500 - 10 - 5 + 5);

    row_fsm b({}, 2, &budget);
    run_script(b, repeat(http(429), 20, {http(201)}));
    CHECK(budget.available() == 491);  // the first-try reward: no retry was charged
}

TEST_CASE("the same seed replays the same waits") {
    row_fsm a({}, 77), b({}, 77), c({}, 78);
    const auto script = repeat(http(429), 3, repeat(http(500), 6));
    const auto waits = run_script(a, script).waits;
    CHECK(waits.size() == 8);
    CHECK(waits == run_script(b, script).waits);
    CHECK(waits != run_script(c, script).waits);
}

TEST_CASE("random scripts keep the invariants") {
    std::mt19937_64 rng(2024);
    const std::vector<attempt_result> menu{http(201), http(503),        http(429),        http(429, 3s), http(500),
                                           http(408), http(400),        http(502, 1s),
                                           attempt_result::transport(attempt_kind::connection_lost),
                                           attempt_result::transport(attempt_kind::timed_out)};
    std::uniform_int_distribution<std::size_t> pick(1, menu.size() - 1);  // mostly failures
    for (int run = 0; run < 2000; ++run) {
        const row_params params = with(static_cast<int>(rng() % 6), 90s);
        row_fsm fsm(params, rng());
        auto now = t0;
        int sends = 0, transient_waits = 0;
        std::optional<clock_type::time_point> first_429;
        attempt_result last_result;
        row_action act = fsm.start(now);
        while (act.type != row_action::done) {
            if (act.type == row_action::wait) {
                REQUIRE(act.delay >= 0ns);
                if (classify(last_result) == verdict::retry) ++transient_waits;
                now += act.delay;
                act = fsm.on_wait_done(now);
                continue;
            }
            ++sends;
            last_result = rng() % 8 == 0 ? menu[0] : menu[pick(rng)];
            if (last_result.status == 429 && !first_429) first_429 = now;
            act = fsm.on_result(last_result, now);
        }
        REQUIRE(fsm.finished());
        CHECK(fsm.attempts() == sends);
        CHECK(transient_waits <= params.max_retries);
        if (first_429) CHECK(now - *first_429 <= params.max_throttle_wait);
        switch (classify(last_result)) {
        case verdict::success: CHECK(act.result == outcome::added); break;
        case verdict::reject: CHECK(act.result == outcome::rejected); break;
        default: CHECK(act.result == outcome::failed); CHECK_FALSE(fsm.describe().empty());
        }
    }
}
