#include "prospect/sandbox/store.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;

namespace {
const std::string campaign_a = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list_a = "cf33282b-b171-4d23-ae02-848499d793e4";
const std::string list_b = "0f33282b-b171-4d23-ae02-848499d793e4";

add_prospect_body body(std::string list, bool move = false, std::string url = "https://www.linkedin.com/in/jane") {
    return {std::move(url), campaign_a, std::move(list), move};
}
}  // namespace

TEST_CASE("a new prospect is added with one post") {
    store s(1);
    CHECK(s.add(0, body(list_a)) == add_status::added);
    REQUIRE(s.prospects().size() == 1);
    CHECK(s.prospects()[0].posts == 1);
    CHECK(s.prospects()[0].prospect_list_id == list_a);
}

TEST_CASE("the same URL in the same list again is accepted and counted") {
    store s(1);
    s.add(0, body(list_a));
    CHECK(s.add(0, body(list_a)) == add_status::already_in_list);
    CHECK(s.prospects().size() == 1);
    CHECK(s.prospects()[0].posts == 2);
}

TEST_CASE("a URL in another list without move is a duplicate naming where it is") {
    store s(1);
    s.add(0, body(list_a));
    CHECK(s.add(0, body(list_b, false)) == add_status::duplicate);
    CHECK(s.existing().prospect_list_id == list_a);
    CHECK(s.prospects()[0].posts == 2);
    auto message = duplicate_message(s.existing());
    CHECK(message.find(list_a) != std::string::npos);
    CHECK(message.find("moveDuplicatedProspect") != std::string::npos);
}

TEST_CASE("a URL in another list with move is moved there") {
    store s(1);
    s.add(0, body(list_a));
    CHECK(s.add(0, body(list_b, true)) == add_status::moved);
    CHECK(s.prospects()[0].prospect_list_id == list_b);
    CHECK(s.add(0, body(list_b, false)) == add_status::already_in_list);
}

TEST_CASE("each API key has its own prospects") {
    store s(2);
    s.add(0, body(list_a));
    CHECK(s.add(1, body(list_b)) == add_status::added);
    CHECK(s.prospects().size() == 2);
}

TEST_CASE("the JSON lists prospects in the order they were first added") {
    store s(1);
    s.add(0, body(list_a, false, "https://www.linkedin.com/in/b"));
    s.add(0, body(list_a, false, "https://www.linkedin.com/in/a"));
    s.add(0, body(list_a, false, "https://www.linkedin.com/in/b"));
    std::string json;
    s.append_json(json);
    CHECK(json == "[{\"prospectProfileUrl\":\"https://www.linkedin.com/in/b\",\"campaignId\":\"" + campaign_a +
                      "\",\"prospectListId\":\"" + list_a + "\",\"posts\":2},"
                      "{\"prospectProfileUrl\":\"https://www.linkedin.com/in/a\",\"campaignId\":\"" + campaign_a +
                      "\",\"prospectListId\":\"" + list_a + "\",\"posts\":1}]");
}

TEST_CASE("find and count look at one key's prospects only") {
    store s(2);
    s.add(0, body(list_a));
    s.add(0, body(list_b, false, "https://www.linkedin.com/in/john"));
    CHECK(s.count(0) == 2);
    CHECK(s.count(1) == 0);
    auto* jane = s.find(0, "https://www.linkedin.com/in/jane");
    REQUIRE(jane);
    CHECK(jane->prospect_list_id == list_a);
    CHECK_FALSE(s.find(1, "https://www.linkedin.com/in/jane"));
    CHECK_FALSE(s.find(0, "https://www.linkedin.com/in/nobody"));
}
