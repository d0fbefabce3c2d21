#include "prospect/sandbox/request_handler.hpp"
#include "support/files.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace prospect::sandbox;
using namespace std::chrono_literals;

namespace {
using clock = request_handler::clock;

constexpr std::string_view api = "/api/client/v1/prospects";
const clock::time_point t0{};
const std::string key = "test-key";

std::string add_body(std::string url = "https://www.linkedin.com/in/jane") {
    return R"({"prospectProfileUrl":")" + url +
           R"(","campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","prospectListId":"cf33282b-b171-4d23-ae02-848499d793e4","moveDuplicatedProspect":false})";
}

server_params params_with(double rate = 0, double burst = 0) {
    server_params p;
    p.api_keys = {key};
    p.rate = rate;
    p.burst = burst;
    return p;
}

// One request through the handler; `out` holds the response.
struct exchange {
    explicit exchange(request_handler& handler) : h(handler) {}

    request_handler& h;
    std::string out;
    response_plan plan;

    exchange& send(std::string_view method, std::string_view target, std::string body = add_body(),
                   clock::time_point now = t0, std::string_view api_key = key,
                   std::string_view content_type = "application/json", bool keep_alive = true) {
        plan = h.handle({.method = method,
                         .target = target,
                         .api_key = api_key,
                         .content_type = content_type,
                         .body = body,
                         .keep_alive = keep_alive},
                        now, out);
        return *this;
    }
    exchange& post(std::string body = add_body(), clock::time_point now = t0, std::string_view api_key = key) {
        return send("POST", api, std::move(body), now, api_key);
    }

    int status() const { return out.starts_with("HTTP/1.1 ") ? std::stoi(out.substr(9, 3)) : 0; }
    bool has(std::string_view s) const { return out.find(s) != std::string::npos; }
};
}  // namespace

TEST_CASE("a valid POST is 201, stored and counted") {
    request_handler h(params_with(), t0);
    exchange x(h);
    CHECK(x.post().status() == 201);
    CHECK(x.has("\"status\":\"success\""));
    CHECK_FALSE(x.plan.drop);
    CHECK_FALSE(x.plan.close);
    REQUIRE(h.prospects().prospects().size() == 1);
    CHECK(h.prospects().prospects()[0].profile_url == "https://www.linkedin.com/in/jane");
    CHECK(h.stats().of(201) == 1);
    CHECK(h.timeline().posts() == 1);
}

TEST_CASE("a missing or wrong key is 401 before the rate limit, faults and body") {
    auto p = params_with(1, 1);
    p.fail_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post("not json", t0, "").status() == 401);
    CHECK(x.has("missing API key"));
    CHECK(x.post("not json", t0, "wrong").status() == 401);
    CHECK(x.has("invalid API key"));
    // The 401s took no token: the next request with the key gets past the limit (to the fault).
    CHECK(x.post().status() >= 500);
    CHECK(h.stats().of(401) == 2);
}

TEST_CASE("the rate limit is 429 with Retry-After before faults and body, and refills with the time passed in") {
    auto p = params_with(1, 1);
    p.fail_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post().status() >= 500);
    CHECK(x.post("not json", t0 + 100ms).status() == 429);
    CHECK(x.has("Retry-After: 1\r\n"));
    CHECK(x.post("not json", t0 + 1100ms).status() >= 500);
    CHECK(h.stats().of(429) == 1);
    CHECK(h.prospects().prospects().empty());
}

TEST_CASE("an injected fault comes before the body check and stores nothing") {
    auto p = params_with();
    p.fail_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post("not json").status() >= 500);
    CHECK(x.has("injected fault"));
    CHECK(x.post().status() >= 500);
    CHECK(h.prospects().prospects().empty());
}

TEST_CASE("a dropped response leaves no bytes but the body is still stored") {
    auto p = params_with();
    p.drop_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    x.post();
    CHECK(x.plan.drop);
    CHECK(x.out.empty());
    CHECK(h.prospects().prospects().size() == 1);
    CHECK(h.stats().dropped() == 1);
    CHECK(h.stats().of(201) == 0);
}

TEST_CASE("a wrong content type or a bad body is 400 and stores nothing") {
    request_handler h(params_with(), t0);
    exchange x(h);
    CHECK(x.send("POST", api, add_body(), t0, key, "text/plain").status() == 400);
    CHECK(x.has("Content-Type must be application/json"));
    CHECK(x.send("POST", api, add_body(), t0, key, "Application/JSON; charset=utf-8").status() == 201);
    CHECK(x.post(add_body("https://www.linkedin.com/company/acme")).status() == 400);
    CHECK(x.has("prospectProfileUrl"));
    CHECK(h.prospects().prospects().size() == 1);
    CHECK(h.stats().of(400) == 2);
}

TEST_CASE("a URL already in another list without move is 400 naming that list") {
    request_handler h(params_with(), t0);
    exchange x(h);
    x.post();
    auto other = add_body();
    other.replace(other.find("cf33282b"), 8, "0f33282b");
    CHECK(x.post(other).status() == 400);
    CHECK(x.has("cf33282b-b171-4d23-ae02-848499d793e4"));
}

TEST_CASE("wrong methods are 405 with Allow and unknown paths 404") {
    request_handler h(params_with(), t0);
    exchange x(h);
    CHECK(x.send("GET", api).status() == 405);
    CHECK(x.has("Allow: POST\r\n"));
    CHECK(x.send("POST", "/_sandbox/stats").status() == 405);
    CHECK(x.has("Allow: GET\r\n"));
    CHECK(x.send("POST", "/api/client/v2/prospects").status() == 404);
    CHECK(x.has("no such endpoint: /api/client/v2/prospects"));
    CHECK(h.timeline().posts() == 0);
}

TEST_CASE("a query string does not change the endpoint") {
    request_handler h(params_with(), t0);
    exchange x(h);
    CHECK(x.send("POST", std::string(api) + "?x=1").status() == 201);
}

TEST_CASE("introspection endpoints answer 200 and are not counted") {
    request_handler h(params_with(), t0);
    exchange x(h);
    x.post();
    CHECK(x.send("GET", "/_sandbox/stats").status() == 200);
    CHECK(x.has("\"201\":1"));
    CHECK(x.send("GET", "/_sandbox/prospects").status() == 200);
    CHECK(x.has("https://www.linkedin.com/in/jane"));
    CHECK(x.send("GET", "/_sandbox/timeline").status() == 200);
    CHECK(x.has("\"posts\":1"));
    CHECK(h.stats().total() == 1);
}

TEST_CASE("the timeline records every POST on arrival, 401 and 429 included") {
    request_handler h(params_with(1, 1), t0);
    exchange x(h);
    x.post("", t0, "wrong");
    x.post();
    x.post(add_body(), t0 + 10ms);
    CHECK(h.timeline().posts() == 3);
}

TEST_CASE("API requests take the injected latency, introspection none") {
    auto p = params_with();
    p.latency_min_ms = p.latency_max_ms = 250;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post("", t0, "wrong").plan.latency == 250ms);
    CHECK(x.post().plan.latency == 250ms);
    CHECK(x.send("GET", "/_sandbox/stats").plan.latency == 0ms);
}

TEST_CASE("a request that is not kept alive is answered with Connection close") {
    request_handler h(params_with(), t0);
    exchange x(h);
    x.send("POST", api, add_body(), t0, key, "application/json", false);
    CHECK(x.plan.close);
    CHECK(x.has("Connection: close\r\n"));
    x.post();
    CHECK_FALSE(x.plan.close);
    CHECK_FALSE(x.has("Connection: close"));
}

TEST_CASE("unparsable requests are 400, 413 or 431 and close the connection") {
    request_handler h(params_with(), t0);
    std::string out;
    auto p = h.reject(parse_failure::malformed, "bad method", out);
    CHECK(p.close);
    CHECK(out.starts_with("HTTP/1.1 400 "));
    CHECK(out.find("malformed HTTP request: bad method") != std::string::npos);
    CHECK(out.find("Connection: close\r\n") != std::string::npos);
    h.reject(parse_failure::body_too_large, "", out);
    CHECK(out.starts_with("HTTP/1.1 413 "));
    h.reject(parse_failure::header_too_large, "", out);
    CHECK(out.starts_with("HTTP/1.1 431 "));
    CHECK(h.stats().total() == 3);
}

TEST_CASE("with --store, a new handler on the same file has what the last one stored, and what it answered 400") {
    prospect::test::temp_dir dir;
    auto params = params_with();
    params.store_file = dir / "store.log";
    {
        request_handler first(params, t0);
        exchange x(first);
        CHECK(x.post().status() == 201);
        CHECK(x.post(add_body("https://www.linkedin.com/in/john")).status() == 201);
        CHECK(x.post("{}").status() == 400);  // never reached the store: not logged
    }
    request_handler restarted(params, t0);
    REQUIRE(restarted.prospects().prospects().size() == 2);
    CHECK(restarted.prospects().prospects()[1].profile_url == "https://www.linkedin.com/in/john");
    exchange x(restarted);
    CHECK(x.post().status() == 201);
    CHECK(restarted.prospects().prospects()[0].posts == 2);
}

TEST_CASE("--throttle-rate answers 429 with Retry-After 1 after the key and rate checks, before the body") {
    auto p = params_with();
    p.throttle_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post("not json", t0, "wrong").status() == 401);
    CHECK(x.post("not json").status() == 429);
    CHECK(x.has("Retry-After: 1\r\n"));
    CHECK(x.has("throttled"));
    CHECK(h.prospects().prospects().empty());
    CHECK(h.stats().of(429) == 1);
}

TEST_CASE("a throttled request still took its token from the rate limit") {
    auto p = params_with(0.001, 2);
    p.throttle_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post().has("throttled"));
    CHECK(x.post().has("throttled"));
    CHECK(x.post().has("rate limit exceeded"));
}

namespace {
std::string limit_json(request_handler& h) {
    exchange x(h);
    x.send("GET", "/_sandbox/limit", "");
    REQUIRE(x.status() == 200);
    return x.out.substr(x.out.find("\r\n\r\n") + 4);
}
}  // namespace

TEST_CASE("POST /_sandbox/limit changes every key's limit and answers the limit now in force") {
    auto p = params_with();
    p.api_keys = {key, "other"};
    request_handler h(p, t0);
    CHECK(limit_json(h) == R"({"rate":0,"burst":0})");
    exchange x(h);
    x.send("POST", "/_sandbox/limit", R"({"rate": 1, "burst": 2})", t0, "", "");
    CHECK(x.status() == 200);
    CHECK(x.has("\r\n\r\n{\"rate\":1,\"burst\":2}"));
    // From unlimited, the buckets start full.
    CHECK(x.post(add_body(), t0).status() == 201);
    CHECK(x.post(add_body(), t0).status() == 201);
    CHECK(x.post(add_body(), t0).status() == 429);
    CHECK(x.post(add_body(), t0, "other").status() == 201);
    CHECK(x.post(add_body(), t0 + 1s).status() == 201);
    CHECK(h.stats().total() == 5);  // the limit requests are not counted
}

TEST_CASE("a lower limit keeps the tokens left, a raised one adds none, and rate 0 lifts it") {
    request_handler h(params_with(10, 10), t0);
    exchange x(h);
    for (int i = 0; i < 9; ++i) REQUIRE(x.post().status() == 201);
    h.set_limit({100, 50}, t0);  // one token left: a change is no free burst
    CHECK(x.post().status() == 201);
    CHECK(x.post().status() == 429);
    CHECK(x.post(add_body(), t0 + 10ms).status() == 201);  // refilled at the new rate
    h.set_limit({1, 0}, t0 + 10ms);
    CHECK(limit_json(h) == R"({"rate":1,"burst":1})");
    CHECK(x.post(add_body(), t0 + 10ms).status() == 429);
    x.send("POST", "/_sandbox/limit", R"({"rate": 0})", t0 + 10ms);
    CHECK(x.status() == 200);
    for (int i = 0; i < 20; ++i) CHECK(x.post(add_body(), t0 + 10ms).status() == 201);
}

TEST_CASE("a bad limit body is 400 naming the field and leaves the limit as it was") {
    request_handler h(params_with(5, 5), t0);
    exchange x(h);
    x.send("POST", "/_sandbox/limit", R"({"rate": -1})");
    CHECK(x.status() == 400);
    CHECK(x.has("rate must be a number >= 0"));
    x.send("POST", "/_sandbox/limit", "rate=5", t0, "", "application/x-www-form-urlencoded");
    CHECK(x.status() == 400);
    CHECK(x.has("must be a JSON object"));
    CHECK(limit_json(h) == R"({"rate":5,"burst":5})");
    x.send("DELETE", "/_sandbox/limit", "");
    CHECK(x.status() == 405);
    CHECK(x.has("Allow: GET, POST\r\n"));
}

TEST_CASE("the single endpoint answers 400 for a foreign prospect and stores nothing") {
    prospect::test::temp_dir dir;
    prospect::test::write_file(dir / "foreign.txt", "https://www.linkedin.com/in/jane\n");
    auto p = params_with();
    p.foreign_prospects_file = dir / "foreign.txt";
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.post().status() == 400);
    CHECK(x.has("another user's prospect list"));
    CHECK(h.prospects().prospects().empty());
    CHECK(x.post(add_body("https://www.linkedin.com/in/john")).status() == 201);
}

TEST_CASE("an unreadable --foreign-prospects file stops the start, naming it") {
    auto p = params_with();
    p.foreign_prospects_file = "/nonexistent/foreign.txt";
    CHECK_THROWS_WITH(request_handler(p, t0), doctest::Contains("--foreign-prospects /nonexistent/foreign.txt"));
}

namespace {
const std::string bulk_path = "/client/v2/prospect-list/cf33282b-b171-4d23-ae02-848499d793e4/add-users-to-list";

std::string bulk_request(std::string urls = R"(["https://www.linkedin.com/in/jane","https://www.linkedin.com/in/john"])",
                         std::string list = "cf33282b-b171-4d23-ae02-848499d793e4", bool move = false) {
    return R"({"listId":")" + list + R"(","campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","userUrls":)" + urls +
           R"(,"moveOwnDuplicated":)" + (move ? "true" : "false") + R"(,"shouldBeDeletedIfInactive":false})";
}
}  // namespace

TEST_CASE("a bulk request is 200 with the answer's arrays, counted once, its URLs posted once each") {
    request_handler h(params_with(), t0);
    exchange x(h);
    x.post();  // jane, single endpoint
    CHECK(x.send("POST", bulk_path, bulk_request()).status() == 200);
    CHECK(x.has(R"("submittedUrls":["https://www.linkedin.com/in/john"],"validationRejectedUrls":[])"));
    CHECK(x.has(R"("listId":"cf33282b-b171-4d23-ae02-848499d793e4")"));
    CHECK(x.has(R"("message":"Operation completed successfully"})"));
    CHECK(h.stats().of(200) == 1);
    CHECK(h.timeline().posts() == 2);
    REQUIRE(h.prospects().prospects().size() == 2);
    CHECK(h.prospects().prospects()[0].posts == 2);
    CHECK(h.prospects().prospects()[1].posts == 1);
    CHECK(x.send("POST", bulk_path + "?x=1", bulk_request()).status() == 200);
    CHECK(x.has(R"("submittedUrls":[])"));
}

TEST_CASE("the bulk endpoint checks the key, the rate limit and faults per request, before the body") {
    auto p = params_with(0.001, 1);
    p.fail_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    CHECK(x.send("POST", bulk_path, "not json", t0, "").status() == 401);
    CHECK(x.send("POST", bulk_path, "not json").status() >= 500);
    CHECK(x.send("POST", bulk_path, "not json").status() == 429);
    CHECK(h.timeline().posts() == 3);
    CHECK(h.prospects().prospects().empty());
}

TEST_CASE("a dropped bulk response leaves no bytes but its URLs are stored") {
    auto p = params_with();
    p.drop_rate = 1;
    request_handler h(p, t0);
    exchange x(h);
    x.send("POST", bulk_path, bulk_request());
    CHECK(x.plan.drop);
    CHECK(x.out.empty());
    CHECK(h.prospects().prospects().size() == 2);
    CHECK(h.stats().dropped() == 1);
}

TEST_CASE("a bad bulk request is 400 with a message and stores nothing") {
    request_handler h(params_with(), t0);
    exchange x(h);
    CHECK(x.send("POST", bulk_path, bulk_request(), t0, key, "text/plain").status() == 400);
    CHECK(x.has("Content-Type must be application/json"));
    CHECK(x.send("POST", bulk_path, bulk_request("[]")).status() == 400);
    CHECK(x.has("userUrls must hold at least one URL"));
    CHECK(x.send("POST", bulk_path, bulk_request(R"(["a"])", "0f33282b-b171-4d23-ae02-848499d793e4")).status() == 400);
    CHECK(x.has("listId 0f33282b-b171-4d23-ae02-848499d793e4 must be the list id in the path"));
    CHECK(x.send("POST", "/client/v2/prospect-list/nope/add-users-to-list", bulk_request()).status() == 400);
    CHECK(x.has("(nope)"));
    // The path's id may be in upper case: it names the same list.
    auto upper = bulk_path;
    upper.replace(upper.find("cf33282b"), 8, "CF33282B");
    CHECK(x.send("POST", upper, bulk_request(R"(["a"])")).status() == 200);
    CHECK(x.has(R"("validationRejectedUrls":["a"])"));
    CHECK(h.prospects().prospects().empty());
    CHECK(x.send("GET", bulk_path).status() == 405);
    CHECK(x.has("Allow: POST\r\n"));
}

TEST_CASE("a bulk body of 1,000 long URLs is under the body limit") {
    std::string urls = "[";
    for (int i = 0; i < 1000; ++i)
        urls += (i ? ",\"" : "\"") + std::string("https://www.linkedin.com/in/a-rather-long-profile-name-") +
                std::to_string(i) + "-abcdef123456\"";
    auto body = bulk_request(urls + "]");
    CHECK(body.size() < request_handler::body_limit);
    request_handler h(params_with(), t0);
    exchange x(h);
    CHECK(x.send("POST", bulk_path, body).status() == 200);
    CHECK(h.prospects().prospects().size() == 1000);
}
