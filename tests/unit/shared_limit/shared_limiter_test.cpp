// The limiter against a real redis-server: several importers in one
// io_context sharing a limit, Redis killed and restarted under them, Redis
// absent at start, and what reaches Redis.
#include "prospect/shared_limit/shared_limiter.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include <sstream>
#include <thread>

#include "prospect/shared_limit/limit_name.hpp"
#include "prospect/shared_limit/redis_client.hpp"
#include "scenario.hpp"
#include "support/redis_server.hpp"

namespace asio = boost::asio;
using namespace prospect::shared_limit;
using namespace std::chrono_literals;
using prospect::test::redis_server;
using prospect::test::run_scenario;
using clock_type = std::chrono::steady_clock;

namespace {

shared_limiter_params params_for(const std::string& url, double rate, double burst) {
    shared_limiter_params p;
    p.url = url;
    p.name = "limiter-test";
    p.rate = rate;
    p.burst = burst;
    return p;
}

asio::awaitable<std::int64_t> redis_now_us(redis_client& client) {
    auto t = co_await client.command(redis_command("TIME"), 1s);
    REQUIRE(t.reply);
    co_return std::stoll(t.reply->elements[0].text) * 1000000 + std::stoll(t.reply->elements[1].text);
}

// Three importers, two connections each, sending as soon as they may until
// `target` requests went; returns the Redis round trips per request.
double share_among_three(double rate, double burst, std::uint64_t target) {
    redis_server server;
    std::uint64_t total = 0, round_trips = 0;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client clock_client(ex);
        REQUIRE(co_await clock_client.connect(parse_redis_url(server.url()), 2s) == "");
        const auto start = co_await redis_now_us(clock_client);
        std::vector<std::unique_ptr<shared_limiter>> limiters;
        for (int i = 0; i < 3; ++i) limiters.push_back(co_await shared_limiter::connect(ex, params_for(server.url(), rate, burst)));
        CHECK(limiters.back()->importers() == 3);
        int running = 0;
        asio::steady_timer all_done(ex, clock_type::time_point::max());
        auto connection = [&](shared_limiter& limiter) -> asio::awaitable<void> {
            ++running;
            while (total < target && co_await limiter.acquire()) ++total;
            if (--running == 0) all_done.cancel();
        };
        for (auto& l : limiters)
            for (int c = 0; c < 2; ++c) asio::co_spawn(ex, connection(*l), asio::detached);
        co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
        const auto end = co_await redis_now_us(clock_client);
        for (auto& l : limiters) {
            CHECK(l->tokens() > 0);  // nobody starved
            round_trips += l->round_trips();
            l->close();
        }
        const double elapsed = static_cast<double>(end - start) / 1e6;
        CAPTURE(elapsed);
        CHECK(static_cast<double>(total) <= rate * elapsed + burst);
    });
    // Connections already waiting when the target is reached still take theirs.
    CHECK(total >= target);
    CHECK(total <= target + 6);
    return static_cast<double>(round_trips) / static_cast<double>(total);
}

}  // namespace

TEST_CASE("three importers sharing 50/s: grants stay within rate x Redis-elapsed + burst, under 0.2 round trips a request") {
    const double per_request = share_among_three(50, 5, 150);
    MESSAGE("Redis round trips per request at 50/s shared by 3: " << per_request);
    CHECK(per_request < 0.2);
}

TEST_CASE("three importers sharing 500/s: grants stay within rate x Redis-elapsed + burst, under 0.2 round trips a request") {
    const double per_request = share_among_three(500, 10, 600);
    MESSAGE("Redis round trips per request at 500/s shared by 3: " << per_request);
    CHECK(per_request < 0.2);
}

TEST_CASE("one 429 among many answers leaves the shared rate alone, 429s at a share of them cut it for every importer") {
    redis_server server;
    const auto key = limit_key("limiter-test");
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto a = co_await shared_limiter::connect(ex, params_for(server.url(), 50, 5));
        auto b = co_await shared_limiter::connect(ex, params_for(server.url(), 50, 5));
        for (int i = 0; i < 20; ++i) CHECK(co_await a->acquire());
        a->on_throttled();
        // Past one lease (10 tokens at 50/s) a refill went to Redis, and the
        // 429 with it if the keeper had not reported it already.
        for (int i = 0; i < 11; ++i) CHECK(co_await a->acquire());
        CHECK(server.cli({"HEXISTS", key, "ct"}) == "0\n");
        CHECK(a->rate() == 50);

        // Five at once: over 3% of what the two took in the last second.
        for (int i = 0; i < 5; ++i) a->on_throttled();
        for (int i = 0; i < 11; ++i) CHECK(co_await a->acquire());
        CHECK(server.cli({"HEXISTS", key, "ct"}) == "1\n");
        CHECK(a->rate() < 50);
        for (int i = 0; i < 11; ++i) CHECK(co_await b->acquire());
        CHECK(b->rate() < 50);
        a->close();
        b->close();
    });
}

TEST_CASE("tokens due while the importer could not send are used up to its share of the burst, not all at once") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto p = params_for(server.url(), 100, 10);
        p.lease = 1000ms;  // a grant of 100 tokens: 10 at once, then one every 10 ms
        auto a = co_await shared_limiter::connect(ex, p);
        CHECK(co_await a->acquire());
        CHECK(a->overflowed() == 0);
        // A stall of the importer (not a wait for anything): at least 300 ms
        // pass, so at least 9 + 30 of the grant's tokens are due by the next
        // acquire, of which the first 29 or more are past its burst of 10.
        std::this_thread::sleep_for(300ms);
        CHECK(co_await a->acquire());
        CHECK(a->overflowed() >= 29);
        CHECK(a->overflowed() <= 99 - 10);
        CHECK(a->tokens() == 2);
        a->close();
    });
}

TEST_CASE("close() wakes every waiting acquire at once, and they return false") {
    redis_server server;
    int woken = 0;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto limiter = co_await shared_limiter::connect(ex, params_for(server.url(), 0.01, 1));
        CHECK(co_await limiter->acquire());  // the one token of the burst
        for (int i = 0; i < 5; ++i)
            asio::co_spawn(ex, [&]() -> asio::awaitable<void> { if (!co_await limiter->acquire()) ++woken; }, asio::detached);
        asio::steady_timer yield(ex, 0ms);
        co_await yield.async_wait(asio::use_awaitable);
        limiter->close();
        CHECK_FALSE(co_await limiter->acquire());
    });
    CHECK(woken == 5);
}

TEST_CASE("Redis killed mid-run: acquire goes on at the local share, says so once, and rejoins once Redis is back") {
    redis_server server;
    std::vector<std::string> said_a, said_b;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto pa = params_for(server.url(), 50, 4);
        pa.say = [&](const std::string& s) { said_a.push_back(s); };
        auto pb = pa;
        pb.say = [&](const std::string& s) { said_b.push_back(s); };
        auto a = co_await shared_limiter::connect(ex, pa);
        auto b = co_await shared_limiter::connect(ex, pb);
        // a's first grant (a lease: 10 tokens), spent: used, or due beyond
        // its share of the burst (2 of 4) and so dropped.
        while (a->tokens() + a->overflowed() < 10) CHECK(co_await a->acquire());
        CHECK(a->tokens() + a->overflowed() == 10);
        CHECK(a->sharing());
        CHECK(a->importers() == 2);

        const auto killed_at = clock_type::now();
        server.kill();
        // The next refill finds Redis gone; acquire does not fail for it.
        std::uint64_t during = 0;
        while (a->sharing() && during < 1000) {
            REQUIRE(co_await a->acquire());
            ++during;
        }
        REQUIRE_FALSE(a->sharing());
        CHECK(a->rate() == doctest::Approx(25));  // 50/s over the 2 importers last seen
        const auto local_from = clock_type::now();
        std::uint64_t local = 0;
        for (int i = 0; i < 10; ++i) {
            REQUIRE(co_await a->acquire());
            ++local;
        }
        const double local_elapsed = std::chrono::duration<double>(clock_type::now() - local_from).count();
        // At most the share's rate, plus what was reserved before the loss (one lease: 10 tokens).
        CHECK(static_cast<double>(local) <= 25 * local_elapsed + 10 + 1);
        // And the share begins only once the grants b may still hold have
        // fallen due: a lease (200 ms) an importer after the loss, itself
        // after the kill. a held nothing then: its one grant (a lease, 10
        // tokens) was spent before the kill.
        const double since_kill = std::chrono::duration<double>(clock_type::now() - killed_at).count();
        CHECK(static_cast<double>(during + local) <= 25 * std::max(0.0, since_kill - 2 * 0.2) + 2);

        server.start();
        std::uint64_t until_back = 0;
        while (!a->sharing() && until_back < 2000) {
            REQUIRE(co_await a->acquire());
            ++until_back;
        }
        CHECK(a->sharing());
        for (int i = 0; i < 10; ++i) CHECK(co_await a->acquire());
        a->close();
        b->close();
    });
    REQUIRE(said_a.size() == 2);
    CHECK(said_a[0].find("lost Redis at " + server.url()) != std::string::npos);
    CHECK(said_a[0].find("25/s") != std::string::npos);
    CHECK(said_a[1].find("is back") != std::string::npos);
    // b took nothing, but its presence heartbeat would have noticed too; it says at most once each.
    CHECK(said_b.size() <= 2);
}

TEST_CASE("Redis unreachable at start: connect throws a message naming the URL") {
    const auto url = "redis://127.0.0.1:" + std::to_string(prospect::test::free_loopback_port());
    std::string message;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        try {
            co_await shared_limiter::connect(ex, params_for(url, 10, 2));
        } catch (const shared_limit_error& e) {
            message = e.what();
        }
    });
    CHECK(message.find("--shared-limit " + url) != std::string::npos);
    CHECK(message.find("cannot reach Redis") != std::string::npos);
}

TEST_CASE("a malformed URL or a rate that cannot be shared is refused before any I/O") {
    int refused = 0;
    const std::vector<std::pair<std::string, double>> cases{{"http://127.0.0.1:1", 10}, {"redis://127.0.0.1:1", 0}};
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        for (const auto& [url, rate] : cases) {
            try {
                co_await shared_limiter::connect(ex, params_for(url, rate, 2));
            } catch (const shared_limit_error& e) {
                if (std::string(e.what()).find(url) != std::string::npos) ++refused;
            }
        }
    });
    CHECK(refused == 2);
}

TEST_CASE("over a unix socket too") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto limiter = co_await shared_limiter::connect(ex, params_for("unix://" + server.socket_path(), 20, 2));
        for (int i = 0; i < 3; ++i) CHECK(co_await limiter->acquire());
        limiter->close();
    });
}

TEST_CASE("the API key never reaches Redis: not in a key name, not in a value") {
    redis_server server;
    const std::string api_key = "sk_live_7f3a9c0e1d2b4a6f";
    const std::string base_url = "https://api.goextrovert.com";
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto p = params_for(server.url(), 20, 4);
        p.name = default_limit_name(base_url, api_key);
        auto limiter = co_await shared_limiter::connect(ex, p);
        for (int i = 0; i < 5; ++i) CHECK(co_await limiter->acquire());
        for (int i = 0; i < 3; ++i) limiter->on_throttled();
        // Past a lease (4 tokens at 20/s) the 429s reached Redis: 3 of the
        // few taken, a cut.
        for (int i = 0; i < 5; ++i) CHECK(co_await limiter->acquire());
        limiter->close();
    });
    const auto keys = server.cli({"KEYS", "*"});
    CHECK(keys == default_limit_name(base_url, api_key) + "\n");
    std::string everything = keys;
    std::istringstream lines(keys);
    for (std::string key; std::getline(lines, key);) everything += server.cli({"HGETALL", key});
    CHECK(everything.find(api_key) == std::string::npos);
    CHECK(everything.find("sk_live") == std::string::npos);
    CHECK(everything.find("goextrovert") == std::string::npos);
    CHECK(everything.find("ct") != std::string::npos);  // the 429s did reach it
}
