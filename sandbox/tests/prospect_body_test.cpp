#include "prospect/sandbox/prospect_body.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;

namespace {
const char* list = "CF33282B-b171-4d23-ae02-848499d793e4";
const char* campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";

std::string body_of(std::string list_json, std::string url_json, std::string campaign_json, std::string move_json) {
    return "{\"prospectListId\":" + list_json + ",\"prospectProfileUrl\":" + url_json + ",\"campaignId\":" +
           campaign_json + ",\"moveDuplicatedProspect\":" + move_json + "}";
}

std::string q(std::string s) { return "\"" + s + "\""; }

std::string parse(std::string body, add_prospect_body& out) {
    prospect_body_parser p;
    return p.parse(body, out);
}

std::string parse(std::string body) {
    add_prospect_body out;
    return parse(std::move(body), out);
}
}  // namespace

TEST_CASE("a valid body is read, ids lower-cased and the URL normalized") {
    add_prospect_body out;
    auto msg = parse(body_of(q(list), q("linkedin.com/in/John-Doe/"), q(campaign), "true"), out);
    CHECK(msg == "");
    CHECK(out.prospect_list_id == "cf33282b-b171-4d23-ae02-848499d793e4");
    CHECK(out.campaign_id == campaign);
    CHECK(out.profile_url == "https://www.linkedin.com/in/john-doe");
    CHECK(out.move_duplicated);
}

TEST_CASE("fields may come in any order, with white space") {
    CHECK(parse(std::string(" {\"moveDuplicatedProspect\" : false, \"campaignId\":") + q(campaign) +
                ",\n\"prospectListId\":" + q(list) + ", \"prospectProfileUrl\":" +
                q("https://www.linkedin.com/in/jane") + "}\n") == "");
}

TEST_CASE("each missing field is named") {
    CHECK(parse("{}") == "prospectListId is required");
    CHECK(parse("{\"prospectListId\":" + q(list) + "}") == "prospectProfileUrl is required");
    CHECK(parse("{\"prospectListId\":" + q(list) + ",\"prospectProfileUrl\":\"linkedin.com/in/x\"}") ==
          "campaignId is required");
    CHECK(parse("{\"prospectListId\":" + q(list) + ",\"prospectProfileUrl\":\"linkedin.com/in/x\",\"campaignId\":" +
                q(campaign) + "}") == "moveDuplicatedProspect is required");
}

TEST_CASE("wrong types are named") {
    auto url = q("https://www.linkedin.com/in/jane");
    CHECK(parse(body_of("1", url, q(campaign), "true")) == "prospectListId must be a string");
    CHECK(parse(body_of(q(list), "null", q(campaign), "true")) == "prospectProfileUrl must be a string");
    CHECK(parse(body_of(q(list), url, "[]", "true")) == "campaignId must be a string");
    CHECK(parse(body_of(q(list), url, q(campaign), "\"true\"")) == "moveDuplicatedProspect must be a boolean");
}

TEST_CASE("ids must be UUIDs and the URL a member profile") {
    auto url = q("https://www.linkedin.com/in/jane");
    CHECK(parse(body_of(q("{cf33282b-b171-4d23-ae02-848499d793e4}"), url, q(campaign), "true"))
              .starts_with("prospectListId must be a UUID"));
    CHECK(parse(body_of(q(list), url, q("8d256aa69b1249a793eebf41634b5b60"), "true"))
              .starts_with("campaignId must be a UUID"));
    CHECK(parse(body_of(q(list), q("https://www.linkedin.com/company/acme"), q(campaign), "true"))
              .starts_with("prospectProfileUrl is not a LinkedIn member profile URL: "));
}

TEST_CASE("unknown, repeated fields and non-objects are refused") {
    auto url = q("https://www.linkedin.com/in/jane");
    auto good = body_of(q(list), url, q(campaign), "true");
    CHECK(parse(good.substr(0, good.size() - 1) + ",\"extra\":1}") == "unknown field \"extra\"");
    CHECK(parse(good.substr(0, good.size() - 1) + ",\"campaignId\":" + q(campaign) + "}") == "campaignId appears twice");
    CHECK(parse("[1,2]") == "the body must be a JSON object");
    CHECK(parse("\"x\"") == "the body must be a JSON object");
}

TEST_CASE("malformed JSON, trailing content and an empty body are not JSON") {
    CHECK(parse("").starts_with("the body is not valid JSON"));
    CHECK(parse("{\"prospectListId\":").starts_with("the body is not valid JSON"));
    CHECK(parse("{\"prospectListId\" " + q(list) + "}").starts_with("the body is not valid JSON"));
    auto good = body_of(q(list), q("https://www.linkedin.com/in/jane"), q(campaign), "true");
    CHECK_FALSE(parse(good + "{}").empty());
    CHECK_FALSE(parse(good + " x").empty());
}

TEST_CASE("one parser serves many bodies, reusing the output") {
    prospect_body_parser p;
    add_prospect_body out;
    for (int i = 0; i < 100; ++i) {
        std::string body = body_of(q(list), q("https://www.linkedin.com/in/p" + std::to_string(i)), q(campaign), "false");
        REQUIRE(p.parse(body, out) == "");
        CHECK(out.profile_url == "https://www.linkedin.com/in/p" + std::to_string(i));
        std::string bad = "{\"x\":1}";
        CHECK(p.parse(bad, out) == "unknown field \"x\"");
    }
}
