// The keep-alive race the sandbox cannot stage on demand: a server that
// closes an idle connection silently (no "Connection: close"), by FIN or by
// reset. A scripted TLS server on the test's own io_context closes right after
// its first response; the next post must go out on a new connection, once.
#include <doctest/doctest.h>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <vector>

#include "scripted_tls.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace prospect::net;
using namespace std::chrono_literals;
using prospect::test::use_tuple;

namespace {

constexpr std::string_view created =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 47\r\n\r\n"
    R"({"status":"success","data":null,"message":"ok"})";

enum class close_style { fin, reset };

using prospect::test::event;

struct scripted_server {
    prospect::test::scripted_tls& tls;
    std::vector<std::string> requests;  // bodies received, in order
    event response_read;  // the client has the first response (a reset would discard it)
    event closed;         // the first connection is gone

    scripted_server(asio::io_context& io, prospect::test::scripted_tls& t) : tls(t), response_read(io), closed(io) {}

    // Serves `connections` connections; the first answers once and then
    // closes without warning, the others answer until the client leaves.
    asio::awaitable<void> run(int connections, close_style style) {
        for (int c = 0; c < connections; ++c) {
            auto stream = co_await tls.accept();
            boost::beast::flat_buffer buffer;
            for (;;) {
                http::request<http::string_body> req;
                auto [rec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
                if (rec) break;
                requests.push_back(req.body());
                auto [wec, w] = co_await asio::async_write(stream, asio::buffer(created), use_tuple);
                REQUIRE_FALSE(wec);
                if (c == 0) {
                    co_await response_read.wait();
                    if (style == close_style::reset) stream.next_layer().set_option(asio::socket_base::linger(true, 0));
                    stream.next_layer().close();
                    closed.fire();
                    break;
                }
            }
        }
    }
};

void check_silent_close(close_style style) {
    asio::io_context io;
    prospect::test::scripted_tls tls(io);
    scripted_server server(io, tls);
    asio::co_spawn(io, server.run(2, style), prospect::test::rethrow);
    std::vector<post_result> results;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 3; ++i) {
                results.push_back(co_await tls.connection.post(tls.request(i), 10s));
                if (i == 0) {
                    server.response_read.fire();
                    co_await server.closed.wait();
                }
            }
            tls.connection.close();
        },
        prospect::test::rethrow);
    io.run();

    REQUIRE(results.size() == 3);
    for (auto& r : results) {
        CHECK(r.outcome == post_result::kind::response);
        CHECK(r.status == 201);
    }
    CHECK(tls.connection.connects() == 2);
    REQUIRE(server.requests.size() == 3);
    for (int i = 0; i < 3; ++i) CHECK(server.requests[i].find("/in/row-" + std::to_string(i)) != std::string::npos);
}

}  // namespace

TEST_CASE("an idle connection the server closed (FIN) is replaced before sending, and no request is lost") {
    check_silent_close(close_style::fin);
}

TEST_CASE("an idle connection the server reset is replaced before sending, and no request is lost") {
    check_silent_close(close_style::reset);
}
