// prospect-sandbox's rate limit and fault injection, end to end: 429 with
// Retry-After per key, drops, latency, and the same faults for the same seed.
#include "sandbox_client.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <chrono>

using namespace prospect::test;
namespace json = boost::json;

namespace {
constexpr std::string_view api = "/api/client/v1/prospects";

std::string profile(int i) { return "https://www.linkedin.com/in/person-" + std::to_string(i); }

// The status of each of `n` sequential requests (0 for a drop), reconnecting
// after every close, as a client's pool would.
std::vector<int> statuses(const sandbox_process& s, int n) {
    std::vector<int> out;
    auto c = std::make_unique<tls_client>(s);
    for (int i = 0; i < n; ++i) {
        auto r = c->post(api, add_body(profile(i)));
        out.push_back(r.status);
        if (r.status == 0 || r.header("connection") == "close") c = std::make_unique<tls_client>(s);
    }
    return out;
}
}  // namespace

TEST_CASE("over_the_rate_it_answers_429_with_retry_after_in_seconds") {
    sandbox_process s({"--rate", "0.01", "--burst", "2"});
    tls_client c(s);
    CHECK(c.post(api, add_body(profile(1))).status == 201);
    CHECK(c.post(api, add_body(profile(2))).status == 201);
    auto r = c.post(api, add_body(profile(3)));
    CHECK(r.status == 429);
    auto e = json::parse(r.body).as_object();
    CHECK(e.at("status").as_string() == "error");
    CHECK(e.at("statusCode").as_int64() == 429);
    // One token every 100 s: the wait is under 100 s and a whole number of seconds.
    auto retry_after = r.header("retry-after");
    REQUIRE_FALSE(retry_after.empty());
    CHECK(retry_after.find_first_not_of("0123456789") == std::string::npos);
    CHECK(std::stoi(retry_after) >= 1);
    CHECK(std::stoi(retry_after) <= 100);
    auto stored = json::parse(c.get("/_sandbox/prospects").body).as_array();
    CHECK(stored.size() == 2);
}

TEST_CASE("each_api_key_has_its_own_rate_limit") {
    sandbox_process s({"--rate", "0.01", "--burst", "1", "--api-key", "a", "--api-key", "b"});
    tls_client c(s);
    CHECK(c.post(api, add_body(profile(1)), "a").status == 201);
    CHECK(c.post(api, add_body(profile(2)), "a").status == 429);
    CHECK(c.post(api, add_body(profile(3)), "b").status == 201);
}

TEST_CASE("the_same_seed_gives_the_same_faults_and_another_seed_others") {
    std::vector<std::string> args{"--fail-rate", "0.3", "--drop-rate", "0.15", "--seed", "1234"};
    std::vector<int> first, second, other;
    {
        sandbox_process s(args);
        first = statuses(s, 60);
    }
    {
        sandbox_process s(args);
        second = statuses(s, 60);
    }
    args.back() = "4321";
    {
        sandbox_process s(args);
        other = statuses(s, 60);
    }
    CHECK(first == second);
    CHECK(first != other);
    auto has = [&](int status) { return std::find(first.begin(), first.end(), status) != first.end(); };
    CHECK(has(0));
    CHECK(has(201));
    CHECK((has(500) || has(502) || has(503)));
}

TEST_CASE("a_drop_closes_the_connection_without_a_response_but_the_post_still_lands") {
    sandbox_process s({"--drop-rate", "1"});
    {
        tls_client c(s);
        auto r = c.post(api, add_body(profile(1)));
        CHECK(r.status == 0);
    }
    tls_client again(s);
    CHECK(again.post(api, add_body(profile(1))).status == 0);
    tls_client look(s);
    auto stored = json::parse(look.get("/_sandbox/prospects").body).as_array();
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].at("posts").as_int64() == 2);
    auto st = json::parse(look.get("/_sandbox/stats").body).as_object();
    CHECK(st.at("dropped").as_int64() == 2);
}

TEST_CASE("latency_delays_api_responses_by_at_least_its_minimum") {
    sandbox_process s({"--latency-ms", "300-400"});
    tls_client c(s);
    auto start = std::chrono::steady_clock::now();
    CHECK(c.post(api, add_body(profile(1))).status == 201);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
}
