// The script's arithmetic through a real Redis, with simulated importers
// (calls with their own ids, rates and bursts), judged on Redis's own clock.
#include "prospect/shared_limit/limit_script.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <thread>

#include "prospect/shared_limit/redis_client.hpp"
#include "scenario.hpp"
#include "support/redis_server.hpp"

namespace asio = boost::asio;
using namespace prospect::shared_limit;
using namespace std::chrono_literals;
using prospect::test::redis_server;
using prospect::test::run_scenario;

namespace {

limit_call importer(std::string id, double rate, double burst) {
    limit_call c;
    c.key = "prospect:limit:test";
    c.importer = std::move(id);
    c.rate = rate;
    c.burst = burst;
    return c;
}

asio::awaitable<std::int64_t> redis_now_us(redis_client& client) {
    auto t = co_await client.command(redis_command("TIME"), 1s);
    co_return std::stoll(t.reply->elements[0].text) * 1000000 + std::stoll(t.reply->elements[1].text);
}

asio::awaitable<limit_state> take(redis_client& client, const limit_call& call, std::int64_t want) {
    auto out = co_await take_tokens(client, call, want, 1s);
    REQUIRE_MESSAGE(out.state, out.error);
    co_return *out.state;
}

asio::awaitable<void> connect(redis_client& client, const redis_server& server) {
    REQUIRE(co_await client.connect(parse_redis_url(server.url()), 2s) == "");
}

}  // namespace

TEST_CASE("a new limit starts full: a burst is due at once, the rest of a grant at the rate") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        co_await connect(client, server);
        auto a = importer("a", 10, 5);
        a.lease = 1000ms;  // up to 10 tokens a take
        auto first = co_await take(client, a, 3);
        CHECK(first.granted == 3);
        CHECK(first.balance_before == 5);
        CHECK(first.rate == 10);
        CHECK(first.importers == 1);
        auto second = co_await take(client, a, 50);
        CHECK(second.granted == 10);  // capped at one lease of the rate
        // What the first left (2) plus the refill at 10/s since, on Redis's clock.
        CHECK(second.balance_before ==
              doctest::Approx(std::min(5.0, 2 + 10 * static_cast<double>(second.redis_now_us - first.redis_now_us) / 1e6)));
        auto due = grant_schedule(second.granted, second.balance_before, second.rate);
        CHECK(due[1] == 0us);
        CHECK(due[9] > 0us);
        CHECK(due[9] - due[8] == 100000us);
        // At most one lease is reserved ahead of the bucket (here down to -10
        // tokens); past that, nothing until time passes.
        auto third = co_await take(client, a, 10);
        CHECK(third.granted == 2);
        auto fourth = co_await take(client, a, 10);
        CHECK(fourth.granted == 0);
        CHECK(fourth.wait > 0us);
        CHECK(fourth.wait <= 100000us);
    });
}

TEST_CASE("several importers taking at will never get more due than rate x Redis-elapsed + burst") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        co_await connect(client, server);
        const double rate = 2000, burst = 20;
        std::vector<limit_call> importers;
        for (int i = 0; i < 4; ++i) {
            importers.push_back(importer("sim" + std::to_string(i), rate, burst));
            importers.back().lease = 10ms;  // 20 tokens a take
        }
        std::mt19937 random(7);
        const auto start = co_await redis_now_us(client);
        std::vector<std::int64_t> due_at;  // Redis time each granted token may be used
        std::vector<std::int64_t> call_at;
        std::size_t most_importers = 0;
        for (int call = 0; call < 600; ++call) {
            auto& who = importers[random() % importers.size()];
            auto s = co_await take(client, who, 1 + static_cast<std::int64_t>(random() % 25));
            most_importers = std::max(most_importers, s.importers);
            call_at.push_back(s.redis_now_us);
            for (auto offset : grant_schedule(s.granted, s.balance_before, s.rate))
                due_at.push_back(s.redis_now_us + offset.count());
        }
        CHECK(most_importers == 4);
        CHECK(due_at.size() > burst);
        std::sort(due_at.begin(), due_at.end());
        for (auto t : call_at) {
            const auto usable = std::upper_bound(due_at.begin(), due_at.end(), t) - due_at.begin();
            const double bound = rate * static_cast<double>(t - start) / 1e6 + burst;
            CAPTURE(t - start);
            CHECK(static_cast<double>(usable) <= bound + 1e-6);
        }
        // Nothing is reserved more than one lease per importer ahead.
        const double ahead = static_cast<double>(due_at.back() - call_at.back()) / 1e6;
        CHECK(ahead <= 4 * 0.010 + 1e-6);
    });
}

TEST_CASE("an importer with a lower --rate and --burst joining lowers the shared limit, and when it lapses the limit returns") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        co_await connect(client, server);
        auto fast = importer("fast", 100, 10);
        auto slow = importer("slow", 20, 3);
        auto alone = co_await take(client, fast, 1);
        CHECK(alone.rate == 100);
        CHECK(alone.burst == 10);
        auto joined = co_await take(client, slow, 1);
        CHECK(joined.rate == 20);
        CHECK(joined.burst == 3);
        CHECK(joined.importers == 2);
        auto seen = co_await take(client, fast, 0);
        CHECK(seen.rate == 20);
        CHECK(seen.ceiling == 20);
        CHECK(seen.importers == 2);
        // The slow one's last call says it stays 1 ms: once Redis's clock is
        // past that, the fast one is alone again.
        slow.presence = 1ms;
        auto last = co_await take(client, slow, 0);
        limit_state after{};
        for (int poll = 0; poll < 1000; ++poll) {
            after = co_await take(client, fast, 0);
            if (after.redis_now_us > last.redis_now_us + 1000) break;
            std::this_thread::sleep_for(1ms);
        }
        REQUIRE(after.redis_now_us > last.redis_now_us + 1000);
        CHECK(after.importers == 1);
        CHECK(after.rate == 100);
        CHECK(after.burst == 10);
    });
}

// What the script counts over the last second: the current second's counts
// plus the previous second's, weighted by what of it lies within the last
// second (each pair: Redis time, count).
double last_second(const std::vector<std::pair<std::int64_t, std::int64_t>>& counts, std::int64_t now_us) {
    const auto sec = now_us / 1000000;
    double current = 0, previous = 0;
    for (auto [t, n] : counts) {
        if (t / 1000000 == sec) current += static_cast<double>(n);
        if (t / 1000000 == sec - 1) previous += static_cast<double>(n);
    }
    const double frac = static_cast<double>(now_us % 1000000) / 1e6;
    return previous * (1 - frac) + current;
}

TEST_CASE("a stray 429 does not cut the shared rate, 429s at 3% of the tokens taken do, to 0.9 x what was taken, climbing back linearly, one cut a second") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        co_await connect(client, server);
        auto a = importer("a", 1000, 5);
        auto b = importer("b", 1000, 5);
        a.regrow = b.regrow = 400ms;
        std::vector<std::pair<std::int64_t, std::int64_t>> grants, reported;  // (Redis time, count)
        for (int i = 0; i < 4; ++i) {
            auto s = co_await take(client, i % 2 ? a : b, 200);
            grants.emplace_back(s.redis_now_us, s.granted);
        }
        CHECK(last_second(grants, grants.back().first) > 400);

        // One 429, then two more: 3 of over 400 tokens taken is under 3%.
        for (std::int64_t n : {1, 2}) {
            auto out = co_await report_throttled(client, n == 1 ? b : a, n, 1s);
            REQUIRE(out.state);
            reported.emplace_back(out.state->redis_now_us, n);
            CHECK_FALSE(out.state->cut);
            CHECK(out.state->rate == 1000);
        }
        // A 429 rides on a take as well, and weighs the same.
        auto with_take = co_await take_tokens(client, b, 0, 1s, 1);
        REQUIRE(with_take.state);
        reported.emplace_back(with_take.state->redis_now_us, 1);
        CHECK_FALSE(with_take.state->cut);

        // Enough for 3% of the tokens taken: the rate is cut for everyone.
        const auto to_share = static_cast<std::int64_t>(std::ceil(0.03 * last_second(grants, with_take.state->redis_now_us)));
        auto out = co_await report_throttled(client, a, to_share, 1s);
        REQUIRE(out.state);
        const auto cut = *out.state;
        reported.emplace_back(cut.redis_now_us, to_share);
        CAPTURE(last_second(reported, cut.redis_now_us));
        CAPTURE(last_second(grants, cut.redis_now_us));
        CHECK(cut.cut);
        // Cut from the rate taken: per second of the limit's life when that
        // is shorter than a second (here: a few ms, so the ceiling is lower).
        const double life = std::min(1.0, static_cast<double>(cut.redis_now_us - grants.front().first) / 1e6);
        REQUIRE(life > 0);
        CHECK(cut.rate == doctest::Approx(0.9 * std::min(1000.0, last_second(grants, cut.redis_now_us) / life)));
        CHECK(cut.rate < 1000);
        CHECK(cut.ceiling == 1000);

        // More 429s within the second: the same episode.
        auto again = co_await report_throttled(client, b, 50, 1s);
        REQUIRE(again.state);
        CHECK_FALSE(again.state->cut);
        CHECK(again.state->rate < 1000);

        // Every importer sees the cut rate, growing back on Redis's clock.
        double last_rate = cut.rate;
        limit_state s{};
        for (int poll = 0; poll < 2000; ++poll) {
            s = co_await take(client, poll % 2 ? a : b, 0);
            const double expected = std::min(1000.0, cut.rate + (1000 - cut.rate) *
                                                                   static_cast<double>(s.redis_now_us - cut.redis_now_us) / 400000.0);
            CHECK(s.rate == doctest::Approx(expected));
            CHECK(s.rate >= last_rate);
            last_rate = s.rate;
            if (s.redis_now_us >= cut.redis_now_us + 400000) break;
            std::this_thread::sleep_for(5ms);
        }
        CHECK(s.rate == 1000);

        // A second after the cut: the 429s counted before it are spent, so
        // a stray one cuts nothing; a share of the tokens taken cuts again.
        for (int poll = 0; poll < 1000 && s.redis_now_us < cut.redis_now_us + 1000000; ++poll) {
            std::this_thread::sleep_for(5ms);
            s = co_await take(client, a, 0);
        }
        for (int i = 0; i < 2; ++i) {
            auto g = co_await take(client, i % 2 ? a : b, 200);
            grants.emplace_back(g.redis_now_us, g.granted);
        }
        auto stray = co_await report_throttled(client, a, 1, 1s);
        REQUIRE(stray.state);
        CHECK_FALSE(stray.state->cut);
        CHECK(stray.state->rate == 1000);
        auto later = co_await report_throttled(client, a, 50, 1s);
        REQUIRE(later.state);
        CHECK(later.state->cut);
        // A limit over a second old: cut from the grants of the last second.
        CHECK(later.state->rate ==
              doctest::Approx(std::max(0.5, 0.9 * std::min(1000.0, last_second(grants, later.state->redis_now_us)))));
    });
}

TEST_CASE("a Redis that does not know the script (flushed, restarted) gets it by EVAL, then runs it by EVALSHA") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        co_await connect(client, server);
        co_await client.command(redis_command("SCRIPT", "FLUSH"), 1s);
        const auto before = client.round_trips();
        auto s = co_await take(client, importer("a", 10, 2), 1);
        CHECK(s.granted == 1);
        CHECK(client.round_trips() - before == 2);  // NOSCRIPT, then EVAL
        auto exists = co_await client.command(redis_command("SCRIPT", "EXISTS", limit_script_sha1()), 1s);
        CHECK(exists.reply->elements[0].integer == 1);
        const auto next = client.round_trips();
        co_await take(client, importer("a", 10, 2), 1);
        CHECK(client.round_trips() - next == 1);
    });
}
