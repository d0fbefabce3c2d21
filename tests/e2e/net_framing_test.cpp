// How api_connection assembles a response from what arrives: a scripted TLS
// server on the test's own io_context writes each response in pieces (each
// piece its own TLS record), chunked, delimited by the close of the
// connection, cut short, or not HTTP at all.
#include <doctest/doctest.h>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

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

enum class then { keep_open, close_notify, close_socket };

// One answer: the bytes the server writes, split into pieces, and what it
// does with the connection afterwards.
struct answer {
    std::vector<std::string> pieces;
    then after = then::keep_open;
};

// Cuts `bytes` into pieces of `size` bytes (the last may be shorter).
std::vector<std::string> split(std::string_view bytes, std::size_t size) {
    std::vector<std::string> pieces;
    for (std::size_t at = 0; at < bytes.size(); at += size) pieces.emplace_back(bytes.substr(at, size));
    return pieces;
}

std::string with_length(std::string_view body) {
    return "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

struct scripted_server {
    prospect::test::scripted_tls& tls;
    std::vector<answer> answers;  // one per request, in order, over as many connections as it takes
    std::size_t requests = 0;

    asio::awaitable<void> run() {
        while (requests < answers.size()) {
            auto stream = co_await tls.accept();
            boost::beast::flat_buffer buffer;
            while (requests < answers.size()) {
                http::request<http::string_body> req;
                auto [rec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
                if (rec) break;
                const answer& a = answers[requests++];
                for (const auto& piece : a.pieces) {
                    auto [wec, w] = co_await asio::async_write(stream, asio::buffer(piece), use_tuple);
                    REQUIRE_FALSE(wec);
                }
                if (a.after == then::close_notify) co_await stream.async_shutdown(use_tuple);
                if (a.after != then::keep_open) break;  // the socket closes as the stream goes
            }
        }
    }
};

// Posts once per answer on one api_connection and returns the results.
std::vector<post_result> exchange(std::vector<answer> answers) {
    asio::io_context io;
    prospect::test::scripted_tls tls(io);
    const auto posts = static_cast<int>(answers.size());
    scripted_server server{tls, std::move(answers)};
    asio::co_spawn(io, server.run(), prospect::test::rethrow);
    std::vector<post_result> results;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < posts; ++i) results.push_back(co_await tls.connection.post(tls.request(i), 10s));
            tls.connection.close();
        },
        prospect::test::rethrow);
    io.run();
    return results;
}

bool contains(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

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

TEST_CASE("a body that runs to the close of the connection ends there, by close_notify or by FIN") {
    std::string until_close = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
                              std::string(envelope);
    auto results = exchange({{split(until_close, 9), then::close_notify},
                             {split(until_close, 9), then::close_socket},
                             {{with_length(envelope)}}});
    REQUIRE(results.size() == 3);
    for (const auto& r : results) {
        CHECK(r.outcome == post_result::kind::response);
        CHECK(r.status == 201);
        CHECK(r.message == "piecewise");
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

TEST_CASE("bytes that are not HTTP are connection_lost with what went wrong") {
    auto results = exchange({{{"HELLO THERE\r\n\r\n"}, then::close_socket}, {{with_length(envelope)}}});
    REQUIRE(results.size() == 2);
    CHECK(results[0].outcome == post_result::kind::connection_lost);
    CHECK(contains(results[0].message, "unreadable response from 127.0.0.1:"));
    CHECK(results[1].outcome == post_result::kind::response);
}
