#include "prospect/net/request.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace prospect::net;

namespace {

struct split_request {
    std::string head;
    std::string body;
};

split_request split(std::string_view bytes) {
    auto end = bytes.find("\r\n\r\n");
    REQUIRE(end != std::string_view::npos);
    return {std::string(bytes.substr(0, end + 2)), std::string(bytes.substr(end + 4))};
}

std::string key_refusal(std::string_view key) {
    try {
        check_api_key(key);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("the request head") {
    auto url = parse_base_url("https://api.example.com:8443/v");
    request_builder builder({url, "k3y", "1.2.3"});
    auto bytes = builder.build({"cf33282b-b171-4d23-ae02-848499d793e4", "https://www.linkedin.com/in/john-doe",
                                "8d256aa6-9b12-49a7-93ee-bf41634b5b60", false});
    auto [head, body] = split(bytes);
    CHECK(head.rfind("POST /v/api/client/v1/prospects HTTP/1.1\r\n", 0) == 0);
    CHECK(head.find("\r\nHost: api.example.com:8443\r\n") != std::string::npos);
    CHECK(head.find("\r\nX-API-Key: k3y\r\n") != std::string::npos);
    CHECK(head.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
    CHECK(head.find("\r\nUser-Agent: prospect-import/1.2.3\r\n") != std::string::npos);
    CHECK(head.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
    CHECK(body == R"({"prospectListId":"cf33282b-b171-4d23-ae02-848499d793e4",)"
                  R"("prospectProfileUrl":"https://www.linkedin.com/in/john-doe",)"
                  R"("campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","moveDuplicatedProspect":false})");
}

TEST_CASE("hostile field values still make a body that parses into the same four fields") {
    auto url = parse_base_url("https://h");
    request_builder builder({url, "key", "0"});
    const std::string hostile[] = {
        "quote\"inside",
        "back\\slash\\",
        std::string("nul\0byte", 8),
        "ctl\x01\x1f\x7f",
        "line\r\nbreak\tTab",
        "j\xC3\xB6rg \xF0\x9F\x98\x80",
        "\",\"campaignId\":\"injected",
        "}{",
    };
    for (const auto& value : hostile) {
        for (bool move : {false, true}) {
            CAPTURE(value);
            auto [head, body] = split(builder.build({value, value + "url", "c" + value, move}));
            CHECK(head.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
            boost::json::error_code ec;
            auto doc = boost::json::parse(body, ec);
            REQUIRE_FALSE(ec);
            auto& obj = doc.as_object();
            CHECK(obj.size() == 4);
            CHECK(obj.at("prospectListId").as_string() == value);
            CHECK(obj.at("prospectProfileUrl").as_string() == value + "url");
            CHECK(obj.at("campaignId").as_string() == "c" + value);
            CHECK(obj.at("moveDuplicatedProspect").as_bool() == move);
        }
    }
}

TEST_CASE("invalid UTF-8 in a field cannot break the JSON") {
    auto url = parse_base_url("https://h");
    request_builder builder({url, "key", "0"});
    auto [head, body] = split(builder.build({"a\xFF", "\xC3", "ok", false}));
    boost::json::error_code ec;
    auto doc = boost::json::parse(body, ec);
    REQUIRE_FALSE(ec);
    CHECK(doc.at("prospectListId").as_string() == "a\xEF\xBF\xBD");
}

TEST_CASE("the builder reuses its buffers: a same-size row leaves the bytes where they were") {
    auto url = parse_base_url("https://h");
    request_builder builder({url, "key", "0"});
    auto first = builder.build({"11111111-1111-1111-1111-111111111111", "https://www.linkedin.com/in/a",
                                "22222222-2222-2222-2222-222222222222", true});
    auto second = builder.build({"33333333-3333-3333-3333-333333333333", "https://www.linkedin.com/in/b",
                                 "44444444-4444-4444-4444-444444444444", true});
    CHECK(first.data() == second.data());
    CHECK(second.find("/in/b") != std::string_view::npos);
}

TEST_CASE("a key that could inject headers is refused, and the message does not show it") {
    CHECK(key_refusal("good-key_123") == "");
    CHECK(key_refusal("").find("empty") != std::string::npos);
    auto why = key_refusal("secret\r\nX-Evil: 1");
    CHECK(why.find("line break") != std::string::npos);
    CHECK(why.find("secret") == std::string::npos);
    CHECK(key_refusal("secret\n").find("line break") != std::string::npos);
    CHECK(key_refusal(std::string_view("sec\0ret", 7)).find("control") != std::string::npos);
    auto url = parse_base_url("https://h");
    CHECK_THROWS_AS(request_builder({url, "a\rb", "0"}), std::invalid_argument);
}
