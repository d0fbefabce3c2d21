#include "prospect/net/bulk_request.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace prospect::net;

namespace {

constexpr std::string_view list = "cf33282b-b171-4d23-ae02-848499d793e4";
constexpr std::string_view campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";

struct split_request {
    std::string head;
    std::string body;
};

split_request split(std::string_view bytes) {
    auto end = bytes.find("\r\n\r\n");
    REQUIRE(end != std::string_view::npos);
    return {std::string(bytes.substr(0, end + 2)), std::string(bytes.substr(end + 4))};
}

std::string_view build(bulk_request_builder& builder, const bulk_fields& fields, const std::vector<std::string>& urls) {
    builder.begin(fields);
    for (const auto& u : urls) builder.add_url(u);
    return builder.finish();
}

}  // namespace

TEST_CASE("the bulk request head and body") {
    auto url = parse_base_url("https://api.example.com:8443");
    bulk_request_builder builder({url, "k3y", "1.2.3"});
    auto bytes = build(builder, {list, campaign, false},
                       {"https://www.linkedin.com/in/jane", "https://www.linkedin.com/in/john-doe"});
    auto [head, body] = split(bytes);
    CHECK(head.rfind("POST /client/v2/prospect-list/cf33282b-b171-4d23-ae02-848499d793e4/add-users-to-list HTTP/1.1\r\n",
                     0) == 0);
    CHECK(head.find("\r\nHost: api.example.com:8443\r\n") != std::string::npos);
    CHECK(head.find("\r\nX-API-Key: k3y\r\n") != std::string::npos);
    CHECK(head.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
    CHECK(head.find("\r\nUser-Agent: prospect-import/1.2.3\r\n") != std::string::npos);
    CHECK(head.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
    CHECK(body == R"({"listId":"cf33282b-b171-4d23-ae02-848499d793e4",)"
                  R"("campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60",)"
                  R"("userUrls":["https://www.linkedin.com/in/jane","https://www.linkedin.com/in/john-doe"],)"
                  R"("moveOwnDuplicated":false,"shouldBeDeletedIfInactive":false})");
}

TEST_CASE("the base URL's path prefix comes before the bulk path, without the single endpoint's path") {
    auto url = parse_base_url("https://gw.example.com/webgateway/api/");
    bulk_request_builder builder({url, "key", "0"});
    auto [head, body] = split(build(builder, {list, campaign, false}, {"https://www.linkedin.com/in/a"}));
    CHECK(head.rfind("POST /webgateway/api/client/v2/prospect-list/" + std::string(list) +
                         "/add-users-to-list HTTP/1.1\r\n",
                     0) == 0);
}

TEST_CASE("the move flag and --delete-if-inactive set the two booleans") {
    auto url = parse_base_url("https://h");
    for (bool move : {false, true}) {
        for (bool del : {false, true}) {
            CAPTURE(move);
            CAPTURE(del);
            bulk_request_builder builder({url, "key", "0", del});
            auto [head, body] = split(build(builder, {list, campaign, move}, {"https://www.linkedin.com/in/a"}));
            auto doc = boost::json::parse(body);
            CHECK(doc.at("moveOwnDuplicated").as_bool() == move);
            CHECK(doc.at("shouldBeDeletedIfInactive").as_bool() == del);
        }
    }
}

TEST_CASE("hostile values still make a body that parses into the same five fields, and a path that stays one segment") {
    auto url = parse_base_url("https://h");
    bulk_request_builder builder({url, "key", "0"});
    const std::vector<std::string> hostile = {
        "quote\"inside", "back\\slash\\", std::string("nul\0byte", 8), "ctl\x01\x1f\x7f", "line\r\nbreak\tTab",
        "j\xC3\xB6rg \xF0\x9F\x98\x80", "\"],\"listId\":\"injected", "}{",
    };
    for (const auto& value : hostile) {
        CAPTURE(value);
        auto [head, body] = split(build(builder, {value, "c" + value, true}, {value + "1", value + "2"}));
        auto request_line = head.substr(0, head.find("\r\n"));
        CHECK(request_line.find_first_of(std::string("\r\n\0 ?#", 6), 5) == request_line.rfind(' '));
        CHECK(head.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
        boost::json::error_code ec;
        auto doc = boost::json::parse(body, ec);
        REQUIRE_FALSE(ec);
        auto& obj = doc.as_object();
        CHECK(obj.size() == 5);
        CHECK(obj.at("listId").as_string() == value);
        CHECK(obj.at("campaignId").as_string() == "c" + value);
        auto& urls = obj.at("userUrls").as_array();
        REQUIRE(urls.size() == 2);
        CHECK(urls[0].as_string() == value + "1");
        CHECK(urls[1].as_string() == value + "2");
    }
}

TEST_CASE("a list id outside the UUID alphabet is percent-encoded in the path") {
    auto url = parse_base_url("https://h");
    bulk_request_builder builder({url, "key", "0"});
    auto bytes = build(builder, {"a/b c", campaign, false}, {"https://www.linkedin.com/in/a"});
    CHECK(bytes.rfind("POST /client/v2/prospect-list/a%2Fb%20c/add-users-to-list HTTP/1.1\r\n", 0) == 0);
}

TEST_CASE("a thousand URLs, and the builder starts afresh at each begin") {
    auto url = parse_base_url("https://h");
    bulk_request_builder builder({url, "key", "0"});
    std::vector<std::string> many;
    for (int i = 0; i < 1000; ++i) many.push_back("https://www.linkedin.com/in/u" + std::to_string(i));
    auto [head, body] = split(build(builder, {list, campaign, false}, many));
    CHECK(builder.url_count() == 1000);
    auto doc = boost::json::parse(body);
    CHECK(doc.at("userUrls").as_array().size() == 1000);
    CHECK(doc.at("userUrls").as_array()[999].as_string() == many[999]);

    auto [head2, body2] = split(build(builder, {list, campaign, true}, {"https://www.linkedin.com/in/only"}));
    CHECK(builder.url_count() == 1);
    auto doc2 = boost::json::parse(body2);
    REQUIRE(doc2.at("userUrls").as_array().size() == 1);
    CHECK(doc2.at("userUrls").as_array()[0].as_string() == "https://www.linkedin.com/in/only");
    CHECK(doc2.at("moveOwnDuplicated").as_bool());
}

TEST_CASE("the builder reuses its buffers: a same-size batch leaves the bytes where they were") {
    auto url = parse_base_url("https://h");
    bulk_request_builder builder({url, "key", "0"});
    auto first = build(builder, {list, campaign, true}, {"https://www.linkedin.com/in/a", "https://www.linkedin.com/in/b"});
    auto second = build(builder, {list, campaign, true}, {"https://www.linkedin.com/in/c", "https://www.linkedin.com/in/d"});
    CHECK(first.data() == second.data());
    CHECK(second.find("/in/d") != std::string_view::npos);
}

TEST_CASE("a batch without a URL is refused, and so is a key that could inject headers") {
    auto url = parse_base_url("https://h");
    bulk_request_builder builder({url, "key", "0"});
    builder.begin({list, campaign, false});
    CHECK_THROWS_AS(builder.finish(), std::logic_error);
    CHECK_THROWS_AS(bulk_request_builder({url, "a\r\nb", "0"}), std::invalid_argument);
    CHECK_THROWS_AS(bulk_request_builder({url, "", "0"}), std::invalid_argument);
    CHECK_THROWS_AS(bulk_request_builder({url, "key", "1\n"}), std::invalid_argument);
}
