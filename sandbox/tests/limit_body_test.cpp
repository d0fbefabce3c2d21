#include "prospect/sandbox/limit_body.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace prospect::sandbox;

namespace {
rate_limit parsed(std::string_view body) {
    rate_limit out{-1, -1};
    auto message = parse_limit_body(body, out);
    CHECK(message.empty());
    return out;
}
}  // namespace

TEST_CASE("a rate and a burst are taken as they are") {
    auto l = parsed(R"({"rate": 200, "burst": 20})");
    CHECK(l.rate == 200);
    CHECK(l.burst == 20);
    CHECK(parsed(R"({"burst":3.5,"rate":0.5})").burst == 3.5);
}

TEST_CASE("without a burst (or with 0) the burst is the rate, at least 1, and rate 0 is unlimited") {
    CHECK(parsed(R"({"rate": 100})").burst == 100);
    CHECK(parsed(R"({"rate": 100, "burst": 0})").burst == 100);
    CHECK(parsed(R"({"rate": 0.5})").burst == 1);
    CHECK(parsed(R"({"rate": 5, "burst": 0.2})").burst == 1);
    auto unlimited = parsed(R"({"rate": 0, "burst": 30})");
    CHECK(unlimited.rate == 0);
    CHECK(unlimited.burst == 0);
}

TEST_CASE("a bad limit body is refused with a message naming the field") {
    struct bad {
        std::string body;
        std::string message;
    };
    for (auto& x : std::vector<bad>{{"", "not valid JSON"},
                                    {"{}", "rate is required"},
                                    {R"({"burst": 5})", "rate is required"},
                                    {R"({"rate": "5"})", "rate must be a number"},
                                    {R"({"rate": -1})", "rate must be a number >= 0"},
                                    {R"({"rate": 5, "burst": -2})", "burst must be a number >= 0"},
                                    {R"({"rate": 5, "burst": true})", "burst must be a number"},
                                    {R"({"rate": 5, "rate": 6})", "rate appears twice"},
                                    {R"({"rate": 5, "limit": 6})", "unknown field \"limit\""},
                                    {"[5]", "must be a JSON object"},
                                    {R"({"rate": 5} x)", "not valid JSON"}}) {
        CAPTURE(x.body);
        rate_limit out;
        auto message = parse_limit_body(x.body, out);
        CAPTURE(message);
        CHECK(message.find(x.message) != std::string::npos);
    }
}

TEST_CASE("the limit is answered as JSON numbers") {
    std::string out;
    append_limit_json(out, {2.5, 10});
    CHECK(out == R"({"rate":2.5,"burst":10})");
    out.clear();
    append_limit_json(out, {});
    CHECK(out == R"({"rate":0,"burst":0})");
}
