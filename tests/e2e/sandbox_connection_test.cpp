// prospect-sandbox's connections, end to end: keep-alive reuse and the
// forced close, many concurrent connections, and requests that are
// malformed or too large (answered or closed, the server stays up).
#include "sandbox_client.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <memory>

using namespace prospect::test;
namespace json = boost::json;

namespace {
constexpr std::string_view api = "/api/client/v1/prospects";

std::string profile(int i) { return "https://www.linkedin.com/in/person-" + std::to_string(i); }

void check_still_serving(const sandbox_process& s) {
    tls_client c(s);
    CHECK(c.post(api, add_body(profile(999999))).status == 201);
}

std::int64_t stored_count(const sandbox_process& s) {
    tls_client c(s);
    return static_cast<std::int64_t>(json::parse(c.get("/_sandbox/prospects").body).as_array().size());
}
}  // namespace

TEST_CASE("one_keep_alive_connection_serves_many_requests") {
    sandbox_process s;
    tls_client c(s);
    auto port = c.local_port();
    for (int i = 0; i < 100; ++i) {
        auto r = c.post(api, add_body(profile(i)));
        REQUIRE(r.status == 201);
        CHECK(r.header("connection") != "close");
    }
    CHECK(c.local_port() == port);
    CHECK(stored_count(s) == 100);
}

TEST_CASE("keepalive_requests_n_closes_after_n_responses_with_connection_close") {
    sandbox_process s({"--keepalive-requests", "3"});
    tls_client c(s);
    CHECK(c.post(api, add_body(profile(1))).header("connection") != "close");
    CHECK(c.post(api, add_body(profile(2))).header("connection") != "close");
    auto third = c.post(api, add_body(profile(3)));
    CHECK(third.status == 201);
    CHECK(third.header("connection") == "close");
    CHECK(c.peer_closed());
    CHECK(stored_count(s) == 3);
}

TEST_CASE("a_request_with_connection_close_is_answered_then_closed") {
    sandbox_process s;
    tls_client c(s);
    auto r = c.post(api, add_body(profile(1)), "sandbox-key", {{"Connection", "close"}});
    CHECK(r.status == 201);
    CHECK(r.header("connection") == "close");
    CHECK(c.peer_closed());
}

TEST_CASE("pipelined_requests_are_answered_in_order") {
    sandbox_process s;
    tls_client c(s);
    std::string two;
    for (int i = 0; i < 2; ++i) {
        auto body = add_body(profile(i));
        two += "POST /api/client/v1/prospects HTTP/1.1\r\nHost: x\r\nX-API-Key: sandbox-key\r\n"
               "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    two += "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
    c.write_raw(two);
    CHECK(c.read_reply().status == 201);
    CHECK(c.read_reply().status == 201);
    CHECK(c.read_reply().status == 404);
}

TEST_CASE("many_concurrent_keep_alive_connections_are_all_served") {
    sandbox_process s;
    constexpr int connections = 200, rounds = 3;
    std::vector<std::unique_ptr<tls_client>> clients;
    for (int i = 0; i < connections; ++i) clients.push_back(std::make_unique<tls_client>(s));
    // Every connection has a request in flight before any reply is read.
    for (int round = 0; round < rounds; ++round) {
        for (int i = 0; i < connections; ++i) {
            auto body = add_body(profile(round * connections + i));
            clients[i]->write_raw("POST /api/client/v1/prospects HTTP/1.1\r\nHost: x\r\nX-API-Key: sandbox-key\r\n"
                                  "Content-Type: application/json\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body);
        }
        for (int i = 0; i < connections; ++i) REQUIRE(clients[i]->read_reply().status == 201);
    }
    CHECK(stored_count(s) == connections * rounds);
}

TEST_CASE("malformed_http_is_400_then_closed_and_the_server_stays_up") {
    sandbox_process s;
    for (std::string_view garbage : {"GARBAGE\r\n\r\n", "POST /x HTTP/9.9\r\n\r\n",
                                     "POST /api/client/v1/prospects HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                                     "GET / HTTP/1.1\r\nBad Header\r\n\r\n"}) {
        CAPTURE(garbage);
        tls_client c(s);
        c.write_raw(garbage);
        auto r = c.read_reply();
        CHECK(r.status == 400);
        CHECK(r.header("connection") == "close");
        CHECK(c.peer_closed());
    }
    check_still_serving(s);
}

TEST_CASE("an_oversized_body_is_413_then_closed") {
    sandbox_process s;
    {
        tls_client c(s);
        c.write_raw("POST /api/client/v1/prospects HTTP/1.1\r\nHost: x\r\nX-API-Key: sandbox-key\r\n"
                    "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{");
        auto r = c.read_reply();
        CHECK(r.status == 413);
        CHECK(c.peer_closed());
    }
    {
        tls_client c(s);  // chunked: the limit is found while reading
        std::string chunk(32 * 1024, 'x');
        std::string req = "POST /api/client/v1/prospects HTTP/1.1\r\nHost: x\r\nX-API-Key: sandbox-key\r\n"
                          "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 40; ++i) req += "8000\r\n" + chunk + "\r\n";  // 1.25 MiB
        c.write_raw(req);
        CHECK(c.read_reply().status == 413);
    }
    check_still_serving(s);
}

TEST_CASE("an_oversized_header_is_431_then_closed") {
    sandbox_process s;
    tls_client c(s);
    c.write_raw("GET /_sandbox/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
    CHECK(c.read_reply().status == 431);
    CHECK(c.peer_closed());
    check_still_serving(s);
}

TEST_CASE("clients_that_vanish_mid_request_or_speak_plain_http_do_not_hurt_it") {
    sandbox_process s;
    {
        tls_client c(s);
        c.write_raw("POST /api/client/v1/prospects HTTP/1.1\r\nContent-Length: 50\r\n\r\n{\"pro");
    }
    auto plain = plain_tcp_exchange(s.host, s.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(plain.find("<timeout>") == std::string::npos);  // closed, not left hanging
    check_still_serving(s);
}
