// How api_connection assembles a response from what arrives: a scripted TLS
// server on the test's own io_context writes each response in pieces (each
// piece its own TLS record), chunked, delimited by the close of the
// connection, cut short, or not HTTP at all. net_hostile_test has the
// answers that would put requests and answers out of step.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "scripted_tls.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace prospect::net;
using namespace std::chrono_literals;
using prospect::test::use_tuple;

namespace {

constexpr std::string_view envelope = R"({"status":"success","data":null,"message":"piecewise"})";

using prospect::test::contains;
using prospect::test::split;
using prospect::test::then;
using answer = prospect::test::scripted_answer;

std::string with_length(std::string_view body) {
    return "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::vector<post_result> exchange(std::vector<answer> answers) {
    return prospect::test::exchange(std::move(answers)).results;
}

}  // namespace

TEST_CASE("a response written a few bytes a record is assembled whole, and the connection stays up") {
    auto response = with_length(envelope);
    auto results = exchange({{split(response, 1)}, {split(response, 7)}, {{response}}});
    REQUIRE(results.size() == 3);
    for (const auto& r : results) {
        CHECK(r.outcome == post_result::kind::response);
        CHECK(r.status == 201);
        CHECK(r.message == "piecewise");
    }
}

TEST_CASE("a chunked body across records is joined") {
    std::string head = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    auto body = std::string(envelope);
    char rest_size[16];  // chunk sizes are hexadecimal
    std::snprintf(rest_size, sizeof rest_size, "%zx", body.size() - 16);
    auto chunked = head + "10\r\n" + body.substr(0, 16) + "\r\n" + rest_size + "\r\n" + body.substr(16) + "\r\n0\r\n\r\n";
    auto results = exchange({{split(chunked, 5)}, {{chunked}}});
    REQUIRE(results.size() == 2);
    for (const auto& r : results) {
        CHECK(r.outcome == post_result::kind::response);
        CHECK(r.status == 201);
        CHECK(r.message == "piecewise");
    }
}

TEST_CASE("a body that runs to the close of the connection ends at close_notify, and not at a bare FIN") {
    std::string until_close = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
                              std::string(envelope);
    std::string http10 = "HTTP/1.0 201 Created\r\nContent-Type: application/json\r\n\r\n" + std::string(envelope);
    auto results = exchange({{split(until_close, 9), then::close_notify},
                             {split(http10, 9), then::close_notify},
                             {split(until_close, 9), then::close_socket},
                             {split(http10, 9), then::close_socket},
                             {{with_length(envelope)}}});
    REQUIRE(results.size() == 5);
    for (int i : {0, 1, 4}) {
        CAPTURE(i);
        CHECK(results[i].outcome == post_result::kind::response);
        CHECK(results[i].status == 201);
        CHECK(results[i].message == "piecewise");
    }
    // Without close_notify the end of the body cannot be told from a truncation.
    for (int i : {2, 3}) {
        CAPTURE(i);
        CHECK(results[i].outcome == post_result::kind::connection_lost);
        CHECK(results[i].request_sent);
        CHECK(contains(results[i].message, "closed by 127.0.0.1:"));
    }
}

TEST_CASE("a response cut short by the server is connection_lost, and the next post reconnects") {
    auto response = with_length(envelope);
    auto results = exchange({{{response.substr(0, response.size() - 10)}, then::close_socket},
                             {{response.substr(0, 20)}, then::close_notify},
                             {{response}}});
    REQUIRE(results.size() == 3);
    for (int i = 0; i < 2; ++i) {
        CAPTURE(i);
        CHECK(results[i].outcome == post_result::kind::connection_lost);
        CHECK(contains(results[i].message, "closed by 127.0.0.1:"));
    }
    CHECK(results[2].outcome == post_result::kind::response);
    CHECK(results[2].status == 201);
}

TEST_CASE("a chunked body cut short is connection_lost, by FIN or by close_notify") {
    std::string head = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n";
    auto results = exchange({{{head + "10\r\n0123456789"}, then::close_socket},
                             {{head + "10\r\n0123456789abcdef\r\n"}, then::close_notify},
                             {{with_length(envelope)}}});
    REQUIRE(results.size() == 3);
    for (int i = 0; i < 2; ++i) {
        CAPTURE(i);
        CHECK(results[i].outcome == post_result::kind::connection_lost);
    }
    CHECK(results[2].outcome == post_result::kind::response);
}

TEST_CASE("bytes that are not HTTP are connection_lost with what went wrong") {
    auto results = exchange({{{"HELLO THERE\r\n\r\n"}, then::close_socket}, {{with_length(envelope)}}});
    REQUIRE(results.size() == 2);
    CHECK(results[0].outcome == post_result::kind::connection_lost);
    CHECK(contains(results[0].message, "unreadable response from 127.0.0.1:"));
    CHECK(results[1].outcome == post_result::kind::response);
}
