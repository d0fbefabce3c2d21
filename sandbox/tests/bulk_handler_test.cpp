#include "prospect/lead/profile_url.hpp"
#include "prospect/sandbox/bulk_handler.hpp"
#include "prospect/sandbox/request_handler.hpp"
#include "support/files.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace prospect::sandbox;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace {
const std::string campaign_a = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string campaign_b = "1d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list_a = "cf33282b-b171-4d23-ae02-848499d793e4";
const std::string list_b = "0f33282b-b171-4d23-ae02-848499d793e4";
const std::string jane = "https://www.linkedin.com/in/jane";
const std::string john = "https://www.linkedin.com/in/john";
const std::string ann = "https://www.linkedin.com/in/ann";

bulk_body request(strings urls, const std::string& list = list_a, bool move = false,
                  const std::string& campaign = campaign_a) {
    return {list, campaign, std::move(urls), move, false};
}

// A store, its foreign prospects and an adder over them.
struct fixture {
    explicit fixture(bulk_params params = {}, strings foreign_urls = {}) : prospects(2) {
        if (!foreign_urls.empty()) {
            std::string text;
            for (auto& u : foreign_urls) text += u + "\n";
            prospect::test::write_file(dir / "foreign.txt", text);
            foreign = foreign_prospects(dir / "foreign.txt");
        }
        adder = std::make_unique<bulk_adder>(prospects, nullptr, foreign, params);
    }
    const bulk_result& add(bulk_body body, std::size_t key = 0) { return adder->add(key, body); }
    const stored_prospect* find(const std::string& url, std::size_t key = 0) const { return prospects.find(key, url); }

    prospect::test::temp_dir dir;
    store prospects;
    foreign_prospects foreign;
    std::unique_ptr<bulk_adder> adder;
};

const strings* existed(const bulk_result& r, const std::string& campaign) {
    for (auto& [id, urls] : r.existed)
        if (id == campaign) return &urls;
    return nullptr;
}
}  // namespace

TEST_CASE("the bulk path gives its list id, and other paths none") {
    CHECK(bulk_path_list_id("/client/v2/prospect-list/" + list_a + "/add-users-to-list") == list_a);
    CHECK(bulk_path_list_id("/client/v2/prospect-list/not-a-uuid/add-users-to-list") == "not-a-uuid");
    for (auto p : {"/client/v2/prospect-list//add-users-to-list", "/client/v2/prospect-list/a/b/add-users-to-list",
                   "/client/v2/prospect-list/a/add-users", "/api/client/v2/prospect-list/a/add-users-to-list",
                   "/client/v2/prospect-list/add-users-to-list", "/client/v2/prospect-list"})
        CHECK_FALSE(bulk_path_list_id(p));
}

TEST_CASE("new URLs are submitted as sent, stored normalized with one post each") {
    fixture f;
    auto& r = f.add(request({jane, "http://uk.linkedin.com/in/John/?trk=x"}));
    CHECK(r.submitted == strings{jane, "http://uk.linkedin.com/in/John/?trk=x"});
    CHECK(r.validation_rejected.empty());
    CHECK(r.existed.empty());
    CHECK(r.out_of_limit.empty());
    REQUIRE(f.find(jane));
    CHECK(f.find(jane)->posts == 1);
    CHECK(f.find(jane)->prospect_list_id == list_a);
    CHECK(f.prospects.count(0) == 2);
}

TEST_CASE("a URL already in the same list is in none of the arrays, and its post is counted") {
    fixture f;
    f.add(request({jane}));
    auto& r = f.add(request({jane, john}));
    CHECK(r.submitted == strings{john});
    CHECK(r.existed.empty());
    CHECK(f.find(jane)->posts == 2);
}

TEST_CASE("a URL sent twice in one request is submitted once and posted twice") {
    fixture f;
    auto& r = f.add(request({jane, jane}));
    CHECK(r.submitted == strings{jane});
    CHECK(f.find(jane)->posts == 2);
}

TEST_CASE("a URL in another list of the same owner is reported under its campaign without the move flag") {
    fixture f;
    f.add(request({jane}, list_b, false, campaign_b));
    auto& r = f.add(request({jane, john}, list_a, false));
    CHECK(r.submitted == strings{john});
    REQUIRE(r.existed.size() == 1);
    REQUIRE(existed(r, campaign_b));
    CHECK(*existed(r, campaign_b) == strings{jane});
    CHECK(f.find(jane)->prospect_list_id == list_b);
    CHECK(f.find(jane)->posts == 2);
}

TEST_CASE("with the move flag it is moved here and submitted") {
    fixture f;
    f.add(request({jane}, list_b, false, campaign_b));
    auto& r = f.add(request({jane}, list_a, true));
    CHECK(r.submitted == strings{jane});
    CHECK(r.existed.empty());
    CHECK(f.find(jane)->prospect_list_id == list_a);
    CHECK(f.find(jane)->campaign_id == campaign_a);
}

TEST_CASE("a foreign prospect is always in existedUrlsMap under the foreign campaign, never moved nor stored") {
    fixture f({}, {"http://linkedin.com/in/ann/"});
    for (bool move : {false, true}) {
        auto& r = f.add(request({ann, jane}, list_a, move));
        REQUIRE(existed(r, std::string(foreign_campaign_id)));
        CHECK(*existed(r, std::string(foreign_campaign_id)) == strings{ann});
        CHECK_FALSE(f.find(ann));
    }
}

TEST_CASE("URLs that are not member profiles are validation-rejected as sent, in order, and stored nowhere") {
    fixture f;
    auto& r = f.add(request({"https://www.linkedin.com/company/acme", jane, "not a url", " "}));
    CHECK(r.validation_rejected == strings{"https://www.linkedin.com/company/acme", "not a url", " "});
    CHECK(r.submitted == strings{jane});
    CHECK(f.prospects.count(0) == 1);
}

TEST_CASE("beyond the URL limit new URLs are out of limit, moves and repeats of stored ones are not") {
    fixture f({.url_limit = 2});
    f.add(request({jane}, list_b, false, campaign_b));
    auto& r = f.add(request({john, ann, "https://www.linkedin.com/in/zoe", jane}, list_a, true));
    CHECK(r.submitted == strings{john, jane});
    CHECK(r.out_of_limit == strings{ann, "https://www.linkedin.com/in/zoe"});
    CHECK(f.prospects.count(0) == 2);
    CHECK_FALSE(f.find(ann));
    CHECK(f.add(request({john, ann})).out_of_limit == strings{ann});
    // Another API key has its own allowance.
    CHECK(f.add(request({ann}), 1).submitted == strings{ann});
}

TEST_CASE("a URL limit of 0 allows nothing new") {
    fixture f({.url_limit = 0});
    auto& r = f.add(request({jane}));
    CHECK(r.out_of_limit == strings{jane});
    CHECK(r.submitted.empty());
}

TEST_CASE("with echo_variant each valid URL comes back in another form of the same profile") {
    fixture f({.url_limit = 1, .echo_variant = true}, {ann});
    f.add(request({jane}, list_b, false, campaign_b));
    auto& r = f.add(request({"https://www.linkedin.com/in/jane", "HTTPS://WWW.LINKEDIN.COM/in/zoe", ann, "x"}));
    CHECK(*existed(r, campaign_b) == strings{"http://linkedin.com/in/jane/"});
    CHECK(r.out_of_limit == strings{"http://linkedin.com/in/zoe/"});
    CHECK(*existed(r, std::string(foreign_campaign_id)) == strings{"http://linkedin.com/in/ann/"});
    CHECK(r.validation_rejected == strings{"x"});
    std::string normalized;
    for (auto& url : {"http://linkedin.com/in/jane/", "http://linkedin.com/in/zoe/"}) {
        CHECK_FALSE(prospect::lead::normalize_profile_url(url, normalized));
        CHECK(normalized != url);
    }
}

TEST_CASE("the answer holds every array, the campaigns of existedUrlsMap and the limits") {
    fixture f({.url_limit = 3}, {ann});
    f.add(request({jane}, list_b, false, campaign_b));
    f.add(request({john, ann, "x", "https://www.linkedin.com/in/zoe", jane, "https://www.linkedin.com/in/bob"}));
    std::string out;
    f.adder->write_answer(out, list_a);
    CHECK(out == R"({"status":"success","data":{"listId":")" + list_a +
                     R"(","submittedUrls":["https://www.linkedin.com/in/john","https://www.linkedin.com/in/zoe"],)"
                     R"("validationRejectedUrls":["x"],"existedUrlsMap":{")" +
                     std::string(foreign_campaign_id) + R"(":["https://www.linkedin.com/in/ann"],")" + campaign_b +
                     R"(":["https://www.linkedin.com/in/jane"]},"outOfLimitUrls":["https://www.linkedin.com/in/bob"],)"
                     R"("totalUrlsLimit":3,"perMonthUrlsLimit":3},"message":"Operation completed successfully"})");
    fixture unlimited;
    unlimited.add(request({jane}));
    unlimited.adder->write_answer(out, list_a);
    CHECK(out.find(R"("existedUrlsMap":{},"outOfLimitUrls":[],"totalUrlsLimit":0,"perMonthUrlsLimit":0})") !=
          std::string::npos);
}

TEST_CASE("with --store, bulk additions, repeats and moves come back after a restart") {
    prospect::test::temp_dir dir;
    auto path = dir / "store.log";
    foreign_prospects none;
    {
        store s(1);
        store_log log(path, s, 1);
        bulk_adder adder(s, &log, none, {});
        adder.add(0, request({jane, john}, list_b, false, campaign_b));
        adder.add(0, request({jane, john, "x"}, list_a, true));
        adder.add(0, request({jane}, list_a));
    }
    store s(1);
    store_log log(path, s, 1);
    REQUIRE(s.count(0) == 2);
    CHECK(s.find(0, jane)->prospect_list_id == list_a);
    CHECK(s.find(0, jane)->campaign_id == campaign_a);
    CHECK(s.find(0, jane)->posts == 3);
    CHECK(s.find(0, john)->posts == 2);
}
