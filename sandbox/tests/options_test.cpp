#include "prospect/sandbox/options.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace prospect::sandbox;

namespace {
struct result {
    parsed_options parsed;
    std::string out, err;
};

result parse(std::vector<std::string> args) {
    args.insert(args.begin(), "prospect-sandbox");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    auto parsed = parse_options(static_cast<int>(argv.size()), argv.data(), out, err);
    return {std::move(parsed), out.str(), err.str()};
}
}  // namespace

TEST_CASE("defaults are docs/contract.md's") {
    auto r = parse({});
    REQUIRE(r.parsed.params);
    auto& p = *r.parsed.params;
    CHECK(p.listen == "127.0.0.1:8443");
    CHECK(p.api_keys == std::vector<std::string>{"sandbox-key"});
    CHECK(p.rate == 0);
    CHECK(p.fail_rate == 0);
    CHECK(p.drop_rate == 0);
    CHECK(p.latency_max_ms == 0);
    CHECK(p.keepalive_requests == 0);
    CHECK(p.store_file.empty());
    CHECK(p.throttle_rate == 0);
    CHECK_FALSE(p.url_limit);
    CHECK(p.foreign_prospects_file.empty());
    CHECK_FALSE(p.echo_variant);
}

TEST_CASE("every option lands in its field") {
    auto r = parse({"--listen", "[::1]:0", "--api-key", "a", "--api-key", "b", "--ca-out", "ca.pem", "--rate", "2.5",
                    "--burst", "4", "--fail-rate", "0.1", "--drop-rate", "0.2", "--latency-ms", "5-50",
                    "--keepalive-requests", "3", "--seed", "99", "--store", "store.log", "--throttle-rate", "0.05",
                    "--url-limit", "7", "--foreign-prospects", "foreign.txt", "--echo-variant"});
    REQUIRE(r.parsed.params);
    auto& p = *r.parsed.params;
    CHECK(p.listen == "[::1]:0");
    CHECK(p.api_keys == std::vector<std::string>{"a", "b"});
    CHECK(p.ca_out == "ca.pem");
    CHECK(p.rate == 2.5);
    CHECK(p.burst == 4);
    CHECK(p.fail_rate == 0.1);
    CHECK(p.drop_rate == 0.2);
    CHECK(p.latency_min_ms == 5);
    CHECK(p.latency_max_ms == 50);
    CHECK(p.keepalive_requests == 3);
    CHECK(p.seed == 99);
    CHECK(p.store_file == "store.log");
    CHECK(p.throttle_rate == 0.05);
    CHECK(p.url_limit == 7u);
    CHECK(p.foreign_prospects_file == "foreign.txt");
    CHECK(p.echo_variant);
}

TEST_CASE("--url-limit 0 is a limit of nothing, not unlimited") {
    auto r = parse({"--url-limit", "0"});
    REQUIRE(r.parsed.params);
    CHECK(r.parsed.params->url_limit == 0u);
}

TEST_CASE("a rate without a burst gets a burst of the rate, at least 1") {
    CHECK(parse({"--rate", "10"}).parsed.params->burst == 10);
    CHECK(parse({"--rate", "0.2"}).parsed.params->burst == 1);
    CHECK(parse({"--rate", "5", "--burst", "0.5"}).parsed.params->burst == 1);
}

TEST_CASE("bad options exit 2 naming the option") {
    struct bad {
        std::vector<std::string> args;
        const char* named;
    };
    for (auto& b : std::vector<bad>{{{"--fail-rate", "1.5"}, "--fail-rate"},
                                    {{"--drop-rate", "-0.1"}, "--drop-rate"},
                                    {{"--fail-rate", "0.6", "--drop-rate", "0.6"}, "--fail-rate"},
                                    {{"--throttle-rate", "1.1"}, "--throttle-rate"},
                                    {{"--fail-rate", "0.5", "--throttle-rate", "0.6"}, "--throttle-rate"},
                                    {{"--url-limit", "-1"}, "--url-limit"},
                                    {{"--url-limit", "x"}, "--url-limit"},
                                    {{"--latency-ms", "50-5"}, "--latency-ms"},
                                    {{"--latency-ms", "x"}, "--latency-ms"},
                                    {{"--listen", "8443"}, "--listen"},
                                    {{"--cert", "c.pem"}, "--key"},
                                    {{"--burst", "3"}, "--rate"},
                                    {{"--keepalive-requests", "0"}, "--keepalive-requests"},
                                    {{"--rate", "abc"}, "--rate"},
                                    {{"--no-such-option"}, "--no-such-option"}}) {
        auto r = parse(b.args);
        CAPTURE(b.named);
        CHECK_FALSE(r.parsed.params);
        CHECK(r.parsed.exit_status == 2);
        CHECK(r.err.find(b.named) != std::string::npos);
    }
}

TEST_CASE("--help prints the options and examples, exit 0") {
    auto r = parse({"--help"});
    CHECK_FALSE(r.parsed.params);
    CHECK(r.parsed.exit_status == 0);
    CHECK(r.out.find("--fail-rate") != std::string::npos);
    CHECK(r.out.find("--throttle-rate") != std::string::npos);
    CHECK(r.out.find("add-users-to-list") != std::string::npos);
    CHECK(r.out.find("/_sandbox/limit") != std::string::npos);
    CHECK(r.out.find("Examples:") != std::string::npos);
}

TEST_CASE("latency forms") {
    CHECK(parse_latency("0")->max_ms == 0);
    CHECK(parse_latency("25")->min_ms == 25);
    CHECK(parse_latency("25")->max_ms == 25);
    CHECK(parse_latency("1-2")->max_ms == 2);
    CHECK_FALSE(parse_latency("-5"));
    CHECK_FALSE(parse_latency("5-"));
    CHECK_FALSE(parse_latency("1.5"));
}
