// For the connection cases the sandbox cannot stage on demand: a TLS server
// that a test scripts coroutine by coroutine on its own io_context, and an
// api_connection that trusts it. The test writes the server's behaviour;
// this holds the certificates, the listening socket and the client side,
// and a server that answers each request with scripted bytes.
#pragma once

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

#include <exception>
#include <string>
#include <vector>

#include "prospect/net/request.hpp"
#include "prospect/net/tls_context.hpp"
#include "prospect/sandbox/certificates.hpp"
#include "support/files.hpp"

namespace prospect::test {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Completion handler for co_spawn: a failed REQUIRE in a coroutine fails the test.
inline void rethrow(std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
}

// A one-shot signal between coroutines sharing the io_context.
struct event {
    boost::asio::steady_timer timer;
    bool fired = false;
    explicit event(boost::asio::io_context& io) : timer(io, std::chrono::steady_clock::time_point::max()) {}
    void fire() {
        fired = true;
        timer.cancel();
    }
    boost::asio::awaitable<void> wait() {
        if (!fired) co_await timer.async_wait(use_tuple);
    }
};

struct scripted_tls {
    using tcp = boost::asio::ip::tcp;

    temp_dir dir;
    sandbox::certificate_set certs = sandbox::make_throwaway_certificates({"127.0.0.1"});
    boost::asio::ssl::context server_tls{boost::asio::ssl::context::tls_server};
    tcp::acceptor acceptor;
    net::base_url url;
    boost::asio::ssl::context client_tls;
    net::api_connection connection;
    net::request_builder builder;

    explicit scripted_tls(boost::asio::io_context& io)
        : acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0}),
          url(net::parse_base_url("https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()))),
          client_tls(net::make_tls_context({write_ca()})),
          connection(io.get_executor(), client_tls, url),
          builder({url, "key", "test"}) {
        server_tls.use_certificate_chain(boost::asio::buffer(certs.cert_pem));
        server_tls.use_private_key(boost::asio::buffer(certs.key_pem), boost::asio::ssl::context::pem);
    }

    // The next connection, accepted, before any TLS.
    boost::asio::awaitable<tcp::socket> accept_tcp() {
        auto [aec, socket] = co_await acceptor.async_accept(use_tuple);
        REQUIRE_FALSE(aec);
        co_return std::move(socket);
    }

    // The next connection, accepted and past the TLS handshake.
    boost::asio::awaitable<boost::asio::ssl::stream<tcp::socket>> accept() {
        boost::asio::ssl::stream<tcp::socket> stream(co_await accept_tcp(), server_tls);
        auto [hec] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server, use_tuple);
        REQUIRE_FALSE(hec);
        co_return stream;
    }

    // The request bytes for row `i` (its URL ends in row-<i>).
    std::string request(int i) {
        return std::string(builder.build({"l", "https://www.linkedin.com/in/row-" + std::to_string(i), "c", false}));
    }

private:
    std::string write_ca() {
        auto path = dir / "ca.pem";
        write_file(path, certs.ca_pem);
        return path;
    }
};

enum class then { keep_open, close_notify, close_socket };

// One answer: the bytes the server writes, each piece its own TLS record,
// and what it does with the connection afterwards.
struct scripted_answer {
    std::vector<std::string> pieces;
    then after = then::keep_open;
};

// Cuts `bytes` into pieces of `size` bytes (the last may be shorter).
inline std::vector<std::string> split(std::string_view bytes, std::size_t size) {
    std::vector<std::string> pieces;
    for (std::size_t at = 0; at < bytes.size(); at += size) pieces.emplace_back(bytes.substr(at, size));
    return pieces;
}

// Answers the requests in order, one scripted answer each, over as many
// connections as it takes; keeps the bodies of the requests it read.
struct answer_server {
    scripted_tls& tls;
    std::vector<scripted_answer> answers;
    std::vector<std::string> bodies;

    boost::asio::awaitable<void> run() {
        namespace http = boost::beast::http;
        while (bodies.size() < answers.size()) {
            auto stream = co_await tls.accept();
            boost::beast::flat_buffer buffer;
            while (bodies.size() < answers.size()) {
                http::request<http::string_body> req;
                auto [rec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
                if (rec) break;
                const scripted_answer& a = answers[bodies.size()];
                bodies.push_back(std::move(req.body()));
                for (const auto& piece : a.pieces) {
                    auto [wec, w] = co_await boost::asio::async_write(stream, boost::asio::buffer(piece), use_tuple);
                    REQUIRE_FALSE(wec);
                }
                if (a.after == then::close_notify) co_await stream.async_shutdown(use_tuple);
                if (a.after != then::keep_open) break;  // the socket closes as the stream goes
            }
        }
    }
};

struct exchange_result {
    std::vector<net::post_result> results;
    std::vector<std::string> bodies;  // the request bodies the server read, in order
    std::uint64_t connects = 0;
};

// Posts row i for each answer i on one api_connection, in turn.
inline exchange_result exchange(std::vector<scripted_answer> answers) {
    using namespace std::chrono_literals;
    boost::asio::io_context io;
    scripted_tls tls(io);
    const auto posts = static_cast<int>(answers.size());
    answer_server server{tls, std::move(answers), {}};
    boost::asio::co_spawn(io, server.run(), rethrow);
    exchange_result out;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            for (int i = 0; i < posts; ++i) out.results.push_back(co_await tls.connection.post(tls.request(i), 10s));
            tls.connection.close();
        },
        rethrow);
    io.run();
    out.bodies = std::move(server.bodies);
    out.connects = tls.connection.connects();
    return out;
}

inline bool contains(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

}  // namespace prospect::test
