// The keep-alive race the sandbox cannot stage on demand: a server that
// closes an idle connection silently (no "Connection: close"), by FIN or by
// reset. A scripted TLS server on the test's own io_context closes right after
// its first response; the next post must go out on a new connection, once.
#include "prospect/net/api_connection.hpp"

#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <vector>

#include "prospect/net/request.hpp"
#include "prospect/net/tls_context.hpp"
#include "prospect/sandbox/certificates.hpp"
#include "support/files.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace prospect::net;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view created =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 47\r\n\r\n"
    R"({"status":"success","data":null,"message":"ok"})";

enum class close_style { fin, reset };

// A one-shot signal between the two coroutines sharing the io_context.
struct event {
    asio::steady_timer timer;
    bool fired = false;
    explicit event(asio::io_context& io) : timer(io, std::chrono::steady_clock::time_point::max()) {}
    void fire() {
        fired = true;
        timer.cancel();
    }
    asio::awaitable<void> wait() {
        if (!fired) co_await timer.async_wait(use_tuple);
    }
};

struct scripted_server {
    asio::io_context& io;
    asio::ssl::context tls{asio::ssl::context::tls_server};
    tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
    std::vector<std::string> requests;  // bodies received, in order
    event response_read{io};  // the client has the first response (a reset would discard it)
    event closed{io};         // the first connection is gone

    scripted_server(asio::io_context& ctx, const prospect::sandbox::certificate_set& certs) : io(ctx) {
        tls.use_certificate_chain(asio::buffer(certs.cert_pem));
        tls.use_private_key(asio::buffer(certs.key_pem), asio::ssl::context::pem);
    }

    // Serves `connections` connections; the first answers once and then
    // closes without warning, the others answer until the client leaves.
    asio::awaitable<void> run(int connections, close_style style) {
        for (int c = 0; c < connections; ++c) {
            auto [aec, socket] = co_await acceptor.async_accept(use_tuple);
            REQUIRE_FALSE(aec);
            asio::ssl::stream<tcp::socket> stream(std::move(socket), tls);
            auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
            REQUIRE_FALSE(hec);
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
    prospect::test::temp_dir dir;
    auto certs = prospect::sandbox::make_throwaway_certificates({"127.0.0.1"});
    auto ca = dir / "ca.pem";
    prospect::test::write_file(ca, certs.ca_pem);

    asio::io_context io;
    scripted_server server(io, certs);
    auto url = parse_base_url("https://127.0.0.1:" + std::to_string(server.acceptor.local_endpoint().port()));
    auto tls = make_tls_context({ca});
    api_connection connection(io.get_executor(), tls, url);
    request_builder builder({url, "key", "test"});

    auto rethrow = [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    };
    asio::co_spawn(io, server.run(2, style), rethrow);
    std::vector<post_result> results;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 3; ++i) {
                auto bytes = builder.build({"l", "https://www.linkedin.com/in/row-" + std::to_string(i), "c", false});
                results.push_back(co_await connection.post(bytes, 10s));
                if (i == 0) {
                    server.response_read.fire();
                    co_await server.closed.wait();
                }
            }
            connection.close();
        },
        rethrow);
    io.run();

    REQUIRE(results.size() == 3);
    for (auto& r : results) {
        CHECK(r.outcome == post_result::kind::response);
        CHECK(r.status == 201);
    }
    CHECK(connection.connects() == 2);
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
