// prospect-sandbox's API contract, end to end: every documented status,
// the envelope, the duplicate rules, introspection, the order of checks.
#include "sandbox_client.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <csignal>

using namespace prospect::test;
namespace json = boost::json;

namespace {
constexpr std::string_view api = "/api/client/v1/prospects";
const std::string jane = "https://www.linkedin.com/in/jane-doe";

json::object envelope(const http_reply& r) { return json::parse(r.body).as_object(); }

void check_envelope(const http_reply& r, int status, std::string_view outcome) {
    CHECK(r.status == status);
    CHECK(r.header("content-type") == "application/json");
    auto e = envelope(r);
    CHECK(e.at("status").as_string() == outcome);
    CHECK(e.at("data").is_null());
    CHECK(e.at("statusCode").as_int64() == status);
    CHECK_FALSE(e.at("message").as_string().empty());
}

std::string message(const http_reply& r) { return std::string(envelope(r).at("message").as_string()); }

json::array stored(tls_client& c) {
    auto r = c.get("/_sandbox/prospects");
    REQUIRE(r.status == 200);
    return json::parse(r.body).as_array();
}
}  // namespace

TEST_CASE("listening_line_names_a_free_port_and_the_ca_out_verifies_the_certificate") {
    sandbox_process s;
    CHECK(s.url == "https://127.0.0.1:" + s.port);
    CHECK(std::stoi(s.port) > 0);
    tls_client c(s);  // throws unless the certificate verifies for 127.0.0.1
    CHECK(c.get("/_sandbox/stats").status == 200);
}

TEST_CASE("the_certificate_is_valid_for_localhost_too") {
    sandbox_process s;
    tls_client c("localhost", s.port, s.ca_file);
    CHECK(c.get("/_sandbox/stats").status == 200);
}

TEST_CASE("a_new_prospect_is_201_and_stored_with_one_post") {
    sandbox_process s;
    tls_client c(s);
    auto r = c.post(api, add_body(jane));
    check_envelope(r, 201, "success");
    CHECK(message(r) == "Operation completed successfully");
    auto all = stored(c);
    REQUIRE(all.size() == 1);
    auto p = all[0].as_object();
    CHECK(p.at("prospectProfileUrl").as_string() == jane);
    CHECK(p.at("campaignId").as_string() == campaign_1);
    CHECK(p.at("prospectListId").as_string() == list_1);
    CHECK(p.at("posts").as_int64() == 1);
}

TEST_CASE("urls_are_stored_normalized_and_ids_in_lower_case") {
    sandbox_process s;
    tls_client c(s);
    CHECK(c.post(api, add_body("http://uk.linkedin.com/in/Jane-Doe/?trk=x", "CF33282B-B171-4D23-AE02-848499D793E4"))
              .status == 201);
    CHECK(c.post(api, add_body(jane)).status == 201);
    auto all = stored(c);
    REQUIRE(all.size() == 1);
    CHECK(all[0].at("prospectListId").as_string() == list_1);
    CHECK(all[0].at("posts").as_int64() == 2);
}

TEST_CASE("the_same_url_again_in_the_same_list_is_201_and_counted") {
    sandbox_process s;
    tls_client c(s);
    for (int i = 0; i < 3; ++i) CHECK(c.post(api, add_body(jane)).status == 201);
    auto all = stored(c);
    REQUIRE(all.size() == 1);
    CHECK(all[0].at("posts").as_int64() == 3);
}

TEST_CASE("a_url_in_another_list_without_move_is_400_naming_that_list") {
    sandbox_process s;
    tls_client c(s);
    REQUIRE(c.post(api, add_body(jane, list_1)).status == 201);
    auto r = c.post(api, add_body(jane, list_2, false));
    check_envelope(r, 400, "error");
    CHECK(message(r).find(std::string(list_1)) != std::string::npos);
    auto all = stored(c);
    CHECK(all[0].at("prospectListId").as_string() == list_1);
    CHECK(all[0].at("posts").as_int64() == 2);
}

TEST_CASE("a_url_in_another_list_with_move_is_201_and_moved") {
    sandbox_process s;
    tls_client c(s);
    REQUIRE(c.post(api, add_body(jane, list_1)).status == 201);
    check_envelope(c.post(api, add_body(jane, list_2, true)), 201, "success");
    auto all = stored(c);
    REQUIRE(all.size() == 1);
    CHECK(all[0].at("prospectListId").as_string() == list_2);
}

TEST_CASE("a_missing_or_wrong_api_key_is_401_with_the_envelope") {
    sandbox_process s;
    tls_client c(s);
    check_envelope(c.post(api, add_body(jane), ""), 401, "error");
    check_envelope(c.post(api, add_body(jane), "wrong-key"), 401, "error");
    CHECK(stored(c).empty());
}

TEST_CASE("each_api_key_given_is_accepted_and_has_its_own_prospects") {
    sandbox_process s({"--api-key", "key-a", "--api-key", "key-b"});
    tls_client c(s);
    CHECK(c.post(api, add_body(jane, list_1), "sandbox-key").status == 401);
    CHECK(c.post(api, add_body(jane, list_1), "key-a").status == 201);
    CHECK(c.post(api, add_body(jane, list_2), "key-b").status == 201);
    CHECK(stored(c).size() == 2);
}

TEST_CASE("an_invalid_body_is_400_with_a_message_naming_the_field") {
    sandbox_process s;
    tls_client c(s);
    struct bad_body {
        std::string body;
        std::string named;
    };
    std::string good = add_body(jane);
    for (auto& b : std::vector<bad_body>{
             {"{}", "prospectListId"},
             {add_body(jane, "not-a-uuid"), "prospectListId"},
             {add_body(jane, list_1, false, "8d256aa69b1249a793eebf41634b5b60"), "campaignId"},
             {add_body("https://www.linkedin.com/company/acme"), "prospectProfileUrl"},
             {good.substr(0, good.size() - 6) + "\"no\"}", "moveDuplicatedProspect"},
             {good.substr(0, good.size() - 1) + ",\"extra\":true}", "extra"},
             {"{\"prospectListId\":", "JSON"},
             {"[]", "object"}}) {
        CAPTURE(b.body);
        auto r = c.post(api, b.body);
        check_envelope(r, 400, "error");
        CHECK(message(r).find(b.named) != std::string::npos);
    }
    CHECK(stored(c).empty());
}

TEST_CASE("a_body_that_is_not_declared_json_is_400") {
    sandbox_process s;
    tls_client c(s);
    auto r = c.send("POST", api, add_body(jane), {{"X-API-Key", "sandbox-key"}, {"Content-Type", "text/plain"}});
    check_envelope(r, 400, "error");
    CHECK(message(r).find("Content-Type") != std::string::npos);
    CHECK(c.post(api, add_body(jane), "sandbox-key", {{"Content-Type", "application/json; charset=utf-8"}}).status ==
          201);
}

TEST_CASE("an_unknown_path_is_404_and_another_method_405") {
    sandbox_process s;
    tls_client c(s);
    check_envelope(c.get("/api/client/v1/prospect"), 404, "error");
    check_envelope(c.post("/api/client/v2/prospects", add_body(jane)), 404, "error");
    auto r = c.get(std::string(api));
    check_envelope(r, 405, "error");
    CHECK(r.header("allow") == "POST");
    auto d = c.send("DELETE", "/_sandbox/prospects", "", {});
    CHECK(d.status == 405);
    CHECK(d.header("allow") == "GET");
}

TEST_CASE("stats_count_api_requests_by_status") {
    sandbox_process s;
    tls_client c(s);
    c.post(api, add_body(jane));
    c.post(api, add_body(jane));
    c.post(api, add_body(jane), "bad");
    c.post(api, "{}");
    c.get("/nowhere");
    auto r = c.get("/_sandbox/stats");
    REQUIRE(r.status == 200);
    auto st = json::parse(r.body).as_object();
    CHECK(st.at("requests").as_int64() == 5);
    auto by = st.at("byStatus").as_object();
    CHECK(by.at("201").as_int64() == 2);
    CHECK(by.at("401").as_int64() == 1);
    CHECK(by.at("400").as_int64() == 1);
    CHECK(by.at("404").as_int64() == 1);
    CHECK(st.at("dropped").as_int64() == 0);
}

TEST_CASE("the_timeline_counts_api_posts_of_any_status_per_second") {
    sandbox_process s({"--rate", "0.001", "--burst", "2"});
    tls_client c(s);
    auto empty = json::parse(c.get("/_sandbox/timeline").body).as_object();
    CHECK(empty.at("posts").as_int64() == 0);
    CHECK(empty.at("perSecond").as_array().empty());
    c.post(api, add_body(jane));
    c.post(api, add_body(jane));
    CHECK(c.post(api, add_body(jane)).status == 429);
    CHECK(c.post(api, add_body(jane), "bad").status == 401);
    c.get("/_sandbox/stats");
    c.get("/nowhere");
    auto r = c.get("/_sandbox/timeline");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/json");
    auto t = json::parse(r.body).as_object();
    CHECK(t.at("posts").as_int64() == 4);
    CHECK(t.at("maxInAnySecond").as_int64() >= 1);
    CHECK(t.at("maxInAnySecond").as_int64() <= 4);
    CHECK(t.at("spanUs").as_int64() >= 0);
    std::int64_t sum = 0;
    for (auto& n : t.at("perSecond").as_array()) sum += n.as_int64();
    CHECK(sum == 4);
    CHECK(c.send("POST", "/_sandbox/timeline", "", {}).status == 405);
}

TEST_CASE("the_api_key_is_checked_before_the_body") {
    sandbox_process s;
    tls_client c(s);
    CHECK(c.post(api, "not json", "wrong").status == 401);
}

TEST_CASE("the_rate_limit_is_checked_before_faults_and_the_body") {
    sandbox_process s({"--rate", "0.001", "--burst", "1", "--fail-rate", "1"});
    tls_client c(s);
    CHECK(c.post(api, "not json").status >= 500);
    CHECK(c.post(api, "not json").status == 429);
}

TEST_CASE("injected_faults_come_before_the_body_and_store_nothing") {
    sandbox_process s({"--fail-rate", "1"});
    tls_client c(s);
    for (int i = 0; i < 10; ++i) {
        auto r = c.post(api, "not json");
        CHECK((r.status == 500 || r.status == 502 || r.status == 503));
        check_envelope(r, r.status, "error");
    }
    CHECK(c.post(api, add_body(jane)).status >= 500);
    CHECK(stored(c).empty());
}

TEST_CASE("sigterm_and_sigint_stop_it_with_exit_0_even_with_open_connections") {
    for (int sig : {SIGTERM, SIGINT}) {
        sandbox_process s({"--latency-ms", "60000"});
        tls_client idle(s);
        tls_client waiting(s);
        waiting.write_raw("POST /api/client/v1/prospects HTTP/1.1\r\nHost: x\r\nX-API-Key: sandbox-key\r\n"
                          "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        CHECK(idle.get("/_sandbox/stats").status == 200);
        CHECK(s.stop(sig) == 0);
    }
}

TEST_CASE("a_bad_option_exits_2_with_a_message_naming_it") {
    auto r = run({PROSPECT_SANDBOX_BIN, "--fail-rate", "2"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--fail-rate") != std::string::npos);
    auto busy = run({PROSPECT_SANDBOX_BIN, "--listen", "256.1.1.1:0"});
    CHECK(busy.status == 2);
    CHECK(busy.err.find("--listen") != std::string::npos);
}

TEST_CASE("curl_with_the_ca_out_gets_each_documented_status") {
    sandbox_process s({"--rate", "0.001", "--burst", "3", "--api-key", "k"});
    auto curl = [&](std::vector<std::string> args) {
        std::vector<std::string> argv{"/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                                      s.ca_file};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv).out;
    };
    std::string post = s.url + std::string(api);
    std::vector<std::string> json_headers{"-H", "Content-Type: application/json", "-H", "X-API-Key: k"};
    auto with = [&](std::vector<std::string> extra) {
        auto a = json_headers;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    CHECK(curl(with({"-d", add_body(jane), post})) == "201");
    CHECK(curl(with({"-d", "{}", post})) == "400");
    CHECK(curl({"-H", "X-API-Key: nope", "-d", add_body(jane), post}) == "401");
    CHECK(curl({s.url + "/nowhere"}) == "404");
    CHECK(curl({post}) == "405");
    CHECK(curl(with({"-d", add_body(jane), post})) == "201");
    CHECK(curl(with({"-d", add_body(jane), post})) == "429");
}
