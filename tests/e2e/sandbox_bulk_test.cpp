// prospect-sandbox's additions for rate control and the bulk endpoint, end
// to end over TLS: the limit changed through /_sandbox/limit, stray 429s
// from --throttle-rate, and POST /client/v2/prospect-list/{id}/add-users-to-list
// with every array of its answer, moves, foreign prospects, the URL limit,
// posts counted per URL and --store across a kill -9.
#include "sandbox_client.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <csignal>
#include <map>

using namespace prospect::test;
namespace json = boost::json;

namespace {
constexpr std::string_view api = "/api/client/v1/prospects";
constexpr std::string_view campaign_2 = "1d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string jane = "https://www.linkedin.com/in/jane-doe";
const std::string john = "https://www.linkedin.com/in/john-roe";
const std::string ann = "https://www.linkedin.com/in/ann-poe";
const std::string zoe = "https://www.linkedin.com/in/zoe-moe";

std::string bulk_path(std::string_view list = list_1) {
    return "/client/v2/prospect-list/" + std::string(list) + "/add-users-to-list";
}

std::string bulk_body(const std::vector<std::string>& urls, std::string_view list = list_1, bool move = false,
                      std::string_view campaign = campaign_1) {
    json::array a;
    for (auto& u : urls) a.emplace_back(u);
    return json::serialize(json::object{{"listId", list},
                                        {"campaignId", campaign},
                                        {"userUrls", a},
                                        {"moveOwnDuplicated", move},
                                        {"shouldBeDeletedIfInactive", false}});
}

// The answer's data, after checking the envelope of a 200.
json::object bulk(tls_client& c, const std::vector<std::string>& urls, std::string_view list = list_1, bool move = false,
                  std::string_view campaign = campaign_1) {
    auto r = c.post(bulk_path(list), bulk_body(urls, list, move, campaign));
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/json");
    auto e = json::parse(r.body).as_object();
    CHECK(e.at("status").as_string() == "success");
    CHECK(e.at("message").as_string() == "Operation completed successfully");
    return e.at("data").as_object();
}

std::vector<std::string> strings(const json::value& v) {
    std::vector<std::string> out;
    for (auto& s : v.as_array()) out.emplace_back(s.as_string());
    return out;
}
using urls = std::vector<std::string>;

// Stored prospects by URL: {list, campaign, posts}.
struct stored_row {
    std::string list, campaign;
    std::int64_t posts = 0;
};
std::map<std::string, stored_row> stored(tls_client& c) {
    auto r = c.get("/_sandbox/prospects");
    REQUIRE(r.status == 200);
    std::map<std::string, stored_row> out;
    auto all = json::parse(r.body);
    for (auto& p : all.as_array()) {
        auto& o = p.as_object();
        out[std::string(o.at("prospectProfileUrl").as_string())] = {std::string(o.at("prospectListId").as_string()),
                                                                    std::string(o.at("campaignId").as_string()),
                                                                    o.at("posts").as_int64()};
    }
    return out;
}

json::object limit_answer(const http_reply& r) {
    REQUIRE(r.status == 200);
    return json::parse(r.body).as_object();
}
}  // namespace

TEST_CASE("a_limit_set_through_sandbox_limit_is_in_force_and_answered") {
    sandbox_process s;
    tls_client c(s);
    auto before = limit_answer(c.get("/_sandbox/limit"));
    CHECK(before.at("rate").to_number<double>() == 0);
    // One token every 1,000 s: the bucket's two tokens are all this test gets.
    auto now = limit_answer(c.post("/_sandbox/limit", R"({"rate": 0.001, "burst": 2})", ""));
    CHECK(now.at("rate").to_number<double>() == 0.001);
    CHECK(now.at("burst").to_number<double>() == 2);
    CHECK(c.post(api, add_body(jane)).status == 201);
    CHECK(c.post(bulk_path(), bulk_body({john})).status == 200);
    auto r = c.post(api, add_body(ann));
    CHECK(r.status == 429);
    CHECK_FALSE(r.header("retry-after").empty());
    CHECK(c.post(bulk_path(), bulk_body({ann})).status == 429);
    CHECK(limit_answer(c.get("/_sandbox/limit")).at("burst").to_number<double>() == 2);

    auto bad = c.post("/_sandbox/limit", R"({"rate": "fast"})", "");
    CHECK(bad.status == 400);
    CHECK(json::parse(bad.body).at("message").as_string().find("rate must be a number") != json::string::npos);
    CHECK(c.post(api, add_body(ann)).status == 429);

    auto lifted = limit_answer(c.post("/_sandbox/limit", R"({"rate": 0})", ""));
    CHECK(lifted.at("rate").to_number<double>() == 0);
    for (int i = 0; i < 5; ++i) CHECK(c.post(api, add_body(ann)).status == 201);
}

TEST_CASE("throttle_rate_answers_stray_429s_with_retry_after_1_and_stores_nothing_for_them") {
    sandbox_process all({"--throttle-rate", "1"});
    tls_client c(all);
    for (int i = 0; i < 5; ++i) {
        auto r = c.post(api, add_body(jane));
        CHECK(r.status == 429);
        CHECK(r.header("retry-after") == "1");
    }
    CHECK(c.post(bulk_path(), bulk_body({jane})).status == 429);
    CHECK(stored(c).empty());

    sandbox_process some({"--throttle-rate", "0.3", "--seed", "5"});
    tls_client d(some);
    int throttled = 0, added = 0;
    for (int i = 0; i < 60; ++i) {
        auto r = d.post(api, add_body("https://www.linkedin.com/in/p-" + std::to_string(i)));
        throttled += r.status == 429;
        added += r.status == 201;
    }
    CHECK(throttled + added == 60);
    CHECK(throttled > 0);
    CHECK(added > 0);
    CHECK(stored(d).size() == static_cast<std::size_t>(added));
    auto st = json::parse(d.get("/_sandbox/stats").body).as_object();
    CHECK(st.at("byStatus").as_object().at("429").as_int64() == throttled);
}

TEST_CASE("bulk_answers_every_array_moves_foreign_url_limit_and_same_list_repeats") {
    temp_dir dir;
    write_file(dir / "foreign.txt", "# another user's\nhttp://linkedin.com/in/ann-poe/\n");
    sandbox_process s({"--foreign-prospects", dir / "foreign.txt", "--url-limit", "3"});
    tls_client c(s);

    // jane lands in list_2 of campaign_2 first.
    auto first = bulk(c, {jane}, list_2, false, campaign_2);
    CHECK(first.at("listId").as_string() == list_2);
    CHECK(strings(first.at("submittedUrls")) == urls{jane});

    auto d = bulk(c, {john, "https://www.linkedin.com/company/acme", ann, jane, john});
    CHECK(d.at("listId").as_string() == list_1);
    CHECK(strings(d.at("submittedUrls")) == urls{john});
    CHECK(strings(d.at("validationRejectedUrls")) == urls{"https://www.linkedin.com/company/acme"});
    auto existed = d.at("existedUrlsMap").as_object();
    CHECK(existed.size() == 2);
    CHECK(strings(existed.at(campaign_2)) == urls{jane});
    CHECK(strings(existed.at("f0e1f0e1-0000-4000-8000-000000000000")) == urls{ann});
    CHECK(d.at("outOfLimitUrls").as_array().empty());
    CHECK(d.at("totalUrlsLimit").as_int64() == 3);
    CHECK(d.at("perMonthUrlsLimit").as_int64() == 3);

    // With the move flag: jane moves here, the foreign ann still does not.
    auto moved = bulk(c, {jane, ann}, list_1, true);
    CHECK(strings(moved.at("submittedUrls")) == urls{jane});
    CHECK(strings(moved.at("existedUrlsMap").at("f0e1f0e1-0000-4000-8000-000000000000")) == urls{ann});

    // Same-list repeats are in no array; the third stored prospect reaches the limit.
    auto last = bulk(c, {jane, john, zoe, "https://www.linkedin.com/in/bob-low"});
    CHECK(strings(last.at("submittedUrls")) == urls{zoe});
    CHECK(strings(last.at("outOfLimitUrls")) == urls{"https://www.linkedin.com/in/bob-low"});
    CHECK(last.at("validationRejectedUrls").as_array().empty());
    CHECK(last.at("existedUrlsMap").as_object().empty());

    auto all = stored(c);
    CHECK(all.size() == 3);
    CHECK(all.at(jane).list == list_1);
    CHECK(all.at(jane).campaign == campaign_1);
    CHECK(all.at(jane).posts == 4);  // one post for each URL a request carried
    CHECK(all.at(john).posts == 3);
    CHECK(all.at(zoe).posts == 1);
    CHECK_FALSE(all.contains(ann));

    // Each bulk request is one request in the stats and the timeline.
    auto st = json::parse(c.get("/_sandbox/stats").body).as_object();
    CHECK(st.at("requests").as_int64() == 4);
    CHECK(st.at("byStatus").as_object().at("200").as_int64() == 4);
    auto t = json::parse(c.get("/_sandbox/timeline").body).as_object();
    CHECK(t.at("posts").as_int64() == 4);
    std::int64_t sum = 0;
    for (auto& n : t.at("perSecond").as_array()) sum += n.as_int64();
    CHECK(sum == 4);

    // The single endpoint refuses the foreign prospect.
    auto single = c.post(api, add_body(ann));
    CHECK(single.status == 400);
    CHECK(json::parse(single.body).at("message").as_string().find("another user") != json::string::npos);
}

TEST_CASE("bulk_checks_the_key_and_the_body_with_400_messages") {
    sandbox_process s;
    tls_client c(s);
    auto no_key = c.post(bulk_path(), bulk_body({jane}), "");
    CHECK(no_key.status == 401);
    CHECK(json::parse(no_key.body).at("status").as_string() == "error");
    struct bad {
        std::string path, body, named;
    };
    for (auto& b : std::vector<bad>{{bulk_path(), bulk_body({}), "userUrls"},
                                    {bulk_path(), bulk_body({""}), "userUrls[0]"},
                                    {bulk_path(), bulk_body({jane}, list_2), "listId"},
                                    {bulk_path(), R"({"listId":1})", "listId"},
                                    {bulk_path(), "{", "JSON"}}) {
        CAPTURE(b.body);
        auto r = c.post(b.path, b.body);
        CHECK(r.status == 400);
        auto e = json::parse(r.body).as_object();
        CHECK(e.at("statusCode").as_int64() == 400);
        CHECK(e.at("message").as_string().find(b.named) != json::string::npos);
    }
    CHECK(c.get(bulk_path()).status == 405);
    CHECK(stored(c).empty());
}

TEST_CASE("echo_variant_echoes_urls_in_another_form_of_the_same_profile") {
    sandbox_process s({"--echo-variant"});
    tls_client c(s);
    auto d = bulk(c, {jane, "nope"});
    CHECK(strings(d.at("submittedUrls")) == urls{"http://linkedin.com/in/jane-doe/"});
    CHECK(strings(d.at("validationRejectedUrls")) == urls{"nope"});
    CHECK(stored(c).contains(jane));
}

TEST_CASE("bulk_additions_and_moves_in_the_store_survive_a_kill_9") {
    temp_dir dir;
    auto path = dir / "store.log";
    {
        sandbox_process s({"--store", path});
        tls_client c(s);
        bulk(c, {jane, john}, list_2, false, campaign_2);
        bulk(c, {jane, ann}, list_1, true);
        s.stop(SIGKILL);
    }
    sandbox_process again({"--store", path});
    tls_client c(again);
    auto all = stored(c);
    REQUIRE(all.size() == 3);
    CHECK(all.at(jane).list == list_1);
    CHECK(all.at(jane).posts == 2);
    CHECK(all.at(john).list == list_2);
    CHECK(all.at(ann).posts == 1);
    // What it had is what it judges by: john is in another list, ann a same-list repeat.
    auto d = bulk(c, {john, ann});
    CHECK(strings(d.at("existedUrlsMap").at(campaign_2)) == urls{john});
    CHECK(d.at("submittedUrls").as_array().empty());
}
