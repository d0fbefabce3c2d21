// api_connection against answers that could put requests and answers out of
// step, or that no well-behaved API sends: interim 1xx answers, an unasked
// 101, bytes after an answer or before a request, bodies far over the size
// limit, a TLS handshake that never ends. Each is either framed with
// certainty (the row gets its own request's status) or connection_lost.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "prospect/net/response.hpp"
#include "scripted_tls.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace prospect::net;
using namespace std::chrono_literals;
using prospect::test::contains;
using prospect::test::then;
using prospect::test::use_tuple;
using answer = prospect::test::scripted_answer;
using kind = post_result::kind;

namespace {

// A final answer whose message names the row it is for.
std::string final_answer(int status, int row) {
    std::string body = R"({"status":")" + std::string(status < 300 ? "success" : "error") +
                       R"(","data":null,"message":"row-)" + std::to_string(row) + R"("})";
    return "HTTP/1.1 " + std::to_string(status) + (status < 300 ? " Created" : " Bad Request") +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

TEST_CASE("interim 1xx answers are skipped: each of 40 requests on one connection gets its own answer") {
    std::vector<answer> answers;
    for (int i = 0; i < 40; ++i) {
        std::string final = final_answer(i % 2 == 0 ? 201 : 400, i);
        switch (i % 4) {
        case 0: answers.push_back({{std::string(interim), final}}); break;  // separate records
        case 1: answers.push_back({{std::string(interim) + final}}); break;  // one record
        case 2:  // several interim answers, one with fields, written a few bytes a record
            answers.push_back({prospect::test::split(
                "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
                    std::string(interim) + final,
                11)});
            break;
        default: answers.push_back({{final}}); break;  // none at all
        }
    }
    auto out = prospect::test::exchange(std::move(answers));
    REQUIRE(out.results.size() == 40);
    REQUIRE(out.bodies.size() == 40);
    for (int i = 0; i < 40; ++i) {
        CAPTURE(i);
        const auto& r = out.results[i];
        CHECK(r.outcome == kind::response);
        CHECK(r.request_sent);
        CHECK(r.status == (i % 2 == 0 ? 201 : 400));
        CHECK(r.message == "row-" + std::to_string(i));
        CHECK(r.api_envelope);
        CHECK(contains(out.bodies[i], "/in/row-" + std::to_string(i) + "\""));
    }
    CHECK(out.connects == 1);
}

TEST_CASE("an unasked 101 Switching Protocols is connection_lost, and the next request goes on a new connection") {
    auto out = prospect::test::exchange(
        {{{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"}}, {{final_answer(201, 1)}}});
    REQUIRE(out.results.size() == 2);
    CHECK(out.results[0].outcome == kind::connection_lost);
    CHECK(out.results[0].request_sent);
    CHECK(contains(out.results[0].message, "101"));
    CHECK(out.results[1].outcome == kind::response);
    CHECK(out.results[1].message == "row-1");
    CHECK(out.connects == 2);
}

TEST_CASE("bytes after an answer in the same flight are connection_lost: which answer is whose cannot be told") {
    auto out = prospect::test::exchange({{{final_answer(201, 0) + final_answer(201, 99)}},
                                         {{final_answer(201, 1) + "garbage"}},
                                         {{final_answer(400, 2)}}});
    REQUIRE(out.results.size() == 3);
    for (int i = 0; i < 2; ++i) {
        CAPTURE(i);
        CHECK(out.results[i].outcome == kind::connection_lost);
        CHECK(out.results[i].request_sent);
        CHECK(contains(out.results[i].message, "out of step"));
    }
    CHECK(out.results[2].outcome == kind::response);
    CHECK(out.results[2].status == 400);
    CHECK(out.results[2].message == "row-2");
}

TEST_CASE("an answer sent while the connection is idle, before the next request, is never taken for that request's") {
    asio::io_context io;
    prospect::test::scripted_tls tls(io);
    prospect::test::event first_read(io), unsolicited_sent(io);
    std::vector<std::string> bodies;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            {
                auto stream = co_await tls.accept();
                boost::beast::flat_buffer buffer;
                http::request<http::string_body> req;
                auto [rec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
                REQUIRE_FALSE(rec);
                bodies.push_back(req.body());
                co_await asio::async_write(stream, asio::buffer(final_answer(201, 0)), use_tuple);
                co_await first_read.wait();
                auto unsolicited = final_answer(201, 99);
                co_await asio::async_write(stream, asio::buffer(unsolicited), use_tuple);
                unsolicited_sent.fire();
                // The client must not send on this connection any more.
                auto [rec2, n2] = co_await http::async_read(stream, buffer, req, use_tuple);
                CHECK(rec2);
            }
            auto stream = co_await tls.accept();
            boost::beast::flat_buffer buffer;
            http::request<http::string_body> req;
            auto [rec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
            REQUIRE_FALSE(rec);
            bodies.push_back(req.body());
            co_await asio::async_write(stream, asio::buffer(final_answer(400, 1)), use_tuple);
        },
        prospect::test::rethrow);
    std::vector<post_result> results;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            results.push_back(co_await tls.connection.post(tls.request(0), 10s));
            first_read.fire();
            co_await unsolicited_sent.wait();
            results.push_back(co_await tls.connection.post(tls.request(1), 10s));
            tls.connection.close();
        },
        prospect::test::rethrow);
    io.run();
    REQUIRE(results.size() == 2);
    CHECK(results[0].message == "row-0");
    CHECK(results[1].outcome == kind::response);
    CHECK(results[1].status == 400);
    CHECK(results[1].message == "row-1");
    REQUIRE(bodies.size() == 2);
    CHECK(contains(bodies[1], "/in/row-1\""));
    CHECK(tls.connection.connects() == 2);
}

TEST_CASE("a 201 whose body is over the size limit is still the answer: read and dropped, or the connection closed") {
    const std::string big(50 << 20, 'x');
    auto out = prospect::test::exchange({
        // 50 MB, read to the end: the connection stays usable.
        {{"HTTP/1.1 201 Created\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n", big}},
        {{final_answer(201, 1)}},
        // Chunked, 2 MB.
        {{"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n" + big.substr(0, 2 << 20) +
          "\r\n0\r\n\r\n"}},
        // Declared past max_discarded_body: decided on the header, the connection closed.
        {{"HTTP/1.1 201 Created\r\nContent-Length: 1000000000000\r\n\r\n" + big.substr(0, 1000)}},
        // Non-2xx: the status stands, the message is an excerpt, capped.
        {{"HTTP/1.1 404 Not Found\r\nContent-Length: " + std::to_string(2 << 20) + "\r\n\r\n" +
          big.substr(0, 2 << 20)}},
        {{final_answer(400, 5)}},
    });
    REQUIRE(out.results.size() == 6);
    for (int i : {0, 2, 3}) {
        CAPTURE(i);
        CHECK(out.results[i].outcome == kind::response);
        CHECK(out.results[i].request_sent);
        CHECK(out.results[i].status == 201);
        CHECK(out.results[i].body_discarded);
        CHECK(contains(out.results[i].message, "discarded"));
    }
    CHECK(out.results[1].message == "row-1");
    CHECK(out.results[4].outcome == kind::response);
    CHECK(out.results[4].status == 404);
    CHECK(out.results[4].body_discarded);
    CHECK_FALSE(out.results[4].api_envelope);
    CHECK(out.results[4].message.size() <= max_message_bytes);
    CHECK(out.results[5].message == "row-5");
    CHECK(out.connects == 2);  // only the answer declared past the bound closed its connection
}

TEST_CASE("a 404 tells the API's envelope from a page that is not the API's") {
    std::string html = "<html><head><title>404 Not Found</title></head><body>nginx</body></html>";
    std::string nest = R"({"statusCode":404,"message":"Cannot POST /x","error":"Not Found"})";
    auto out = prospect::test::exchange({
        {{"HTTP/1.1 404 Not Found\r\nContent-Length: " + std::to_string(html.size()) + "\r\n\r\n" + html}},
        {{"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: " + std::to_string(nest.size()) + "\r\n\r\n" + nest}},
        {{"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"}},
        {{final_answer(404, 3)}},
    });
    REQUIRE(out.results.size() == 4);
    for (int i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(out.results[i].outcome == kind::response);
        CHECK_FALSE(out.results[i].api_envelope);
    }
    CHECK(out.results[0].message == "404 Not Found");
    CHECK(out.results[3].status == 404);
    CHECK(out.results[3].api_envelope);
}

TEST_CASE("a TLS handshake that never completes is tls_failed: no request was sent") {
    asio::io_context io;
    prospect::test::scripted_tls tls(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            auto silent = co_await tls.accept_tcp();  // accepts, never answers the ClientHello
            auto closing = co_await tls.accept_tcp();
            closing.close();  // accepts, then closes during the handshake
            char byte = 0;  // holds the silent connection open until the client has given up on it
            co_await silent.async_read_some(asio::buffer(&byte, 1), use_tuple);
        },
        prospect::test::rethrow);
    std::vector<post_result> results;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            results.push_back(co_await tls.connection.post(tls.request(0), 300ms));
            results.push_back(co_await tls.connection.post(tls.request(1), 10s));
            tls.connection.close();
        },
        prospect::test::rethrow);
    io.run();
    REQUIRE(results.size() == 2);
    for (const auto& r : results) {
        CHECK(r.outcome == kind::tls_failed);
        CHECK_FALSE(r.request_sent);
        CHECK(contains(r.message, "TLS handshake"));
    }
    CHECK(contains(results[0].message, "no answer from 127.0.0.1:"));
    CHECK(tls.connection.connects() == 0);
}
