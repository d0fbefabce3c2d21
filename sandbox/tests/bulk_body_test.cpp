#include "prospect/sandbox/bulk_body.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace prospect::sandbox;

namespace {
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";
const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";

using fields = std::vector<std::pair<std::string, std::string>>;  // name, JSON value

fields good_fields(std::string urls = R"(["https://www.linkedin.com/in/jane","x"])") {
    return {{"listId", "\"" + list + "\""},
            {"campaignId", "\"" + campaign + "\""},
            {"userUrls", std::move(urls)},
            {"moveOwnDuplicated", "true"},
            {"shouldBeDeletedIfInactive", "false"}};
}

std::string object_of(const fields& f) {
    std::string out = "{";
    for (auto& [name, value] : f) out += (out.size() > 1 ? ",\"" : "\"") + name + "\":" + value;
    return out + "}";
}

std::string body_with(std::string urls = R"(["https://www.linkedin.com/in/jane","x"])", fields extra = {}) {
    auto f = good_fields(std::move(urls));
    f.insert(f.end(), extra.begin(), extra.end());
    return object_of(f);
}

std::string body_without(std::string_view name) {
    auto f = good_fields();
    std::erase_if(f, [&](auto& field) { return field.first == name; });
    return object_of(f);
}

std::string parse(std::string body, bulk_body& out) {
    bulk_body_parser parser;
    return parser.parse(body, out);
}
}  // namespace

TEST_CASE("a valid bulk body fills every field, URLs as sent and ids in lower case") {
    bulk_body b;
    auto text = body_with();
    text.replace(text.find("cf33282b"), 8, "CF33282B");
    CHECK(parse(text, b).empty());
    CHECK(b.list_id == list);
    CHECK(b.campaign_id == campaign);
    CHECK(b.user_urls == std::vector<std::string>{"https://www.linkedin.com/in/jane", "x"});
    CHECK(b.move_own_duplicated);
    CHECK_FALSE(b.delete_if_inactive);
}

TEST_CASE("the parser reuses its output: a shorter second array leaves no URL of the first") {
    bulk_body_parser parser;
    bulk_body b;
    auto first = body_with(R"(["a","b","c"])");
    REQUIRE(parser.parse(first, b).empty());
    auto second = body_with(R"(["d"])");
    REQUIRE(parser.parse(second, b).empty());
    CHECK(b.user_urls == std::vector<std::string>{"d"});
}

TEST_CASE("a bad bulk body is refused with a message naming the field") {
    struct bad {
        std::string body;
        std::string message;
    };
    for (auto& x : std::vector<bad>{
             {body_without("listId"), "listId is required"},
             {body_without("campaignId"), "campaignId is required"},
             {body_without("userUrls"), "userUrls is required"},
             {body_without("moveOwnDuplicated"), "moveOwnDuplicated is required"},
             {body_without("shouldBeDeletedIfInactive"), "shouldBeDeletedIfInactive is required"},
             {body_with("[]"), "userUrls must hold at least one URL"},
             {body_with(R"(["a",""])"), "userUrls[1] must not be empty"},
             {body_with(R"(["a",3])"), "userUrls[1] must be a string"},
             {body_with(R"("a")"), "userUrls must be an array of strings"},
             {body_with(R"(["a"])", {{"extra", "1"}}), "unknown field \"extra\""},
             {body_with(R"(["a"])", {{"listId", R"("x")"}}), "listId appears twice"},
             {R"({"listId":"nope"})", "listId must be a UUID"},
             {R"({"campaignId":5})", "campaignId must be a string"},
             {R"({"moveOwnDuplicated":"yes"})", "moveOwnDuplicated must be a boolean"},
             {R"({"shouldBeDeletedIfInactive":null})", "shouldBeDeletedIfInactive must be a boolean"},
             {"[1]", "the body must be a JSON object"},
             {"{\"listId\":", "not valid JSON"},
             {body_with() + "x", "not valid JSON"}}) {
        CAPTURE(x.body);
        bulk_body b;
        auto message = parse(x.body, b);
        CAPTURE(message);
        CHECK(message.find(x.message) != std::string::npos);
    }
}
