// For the connection cases the sandbox cannot stage on demand: a TLS server
// that a test scripts coroutine by coroutine on its own io_context, and an
// api_connection that trusts it. The test writes the server's behaviour;
// this holds the certificates, the listening socket and the client side.
#pragma once

#include "prospect/net/api_connection.hpp"

#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <string>

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

    // The next connection, accepted and past the TLS handshake.
    boost::asio::awaitable<boost::asio::ssl::stream<tcp::socket>> accept() {
        auto [aec, socket] = co_await acceptor.async_accept(use_tuple);
        REQUIRE_FALSE(aec);
        boost::asio::ssl::stream<tcp::socket> stream(std::move(socket), server_tls);
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

}  // namespace prospect::test
