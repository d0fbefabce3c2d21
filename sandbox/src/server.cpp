// The server: one acceptor coroutine and one coroutine per connection on
// the caller's io_context (single-threaded, so the request handler needs no
// locks). Each request is handled in one synchronous step between reading
// and writing; its response is formatted into the connection's reused buffer.
#include "prospect/sandbox/server.hpp"

#include "prospect/sandbox/address.hpp"
#include "prospect/sandbox/certificates.hpp"
#include "prospect/sandbox/request_handler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <fstream>
#include <list>
#include <stdexcept>

namespace prospect::sandbox {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr auto handshake_timeout = 10s;
// Longer than any client's keep-alive pool would idle between two rows.
constexpr auto idle_timeout = 120s;
constexpr auto write_timeout = 30s;
constexpr auto shutdown_timeout = 5s;

using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using request = http::request<http::string_body>;

std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

// A request Beast could not parse (answered 400/413/431), as opposed to a
// transport error (nothing to answer).
bool is_http_error(const boost::system::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category();
}

parse_failure failure_of(const boost::system::error_code& ec) {
    return ec == http::error::body_limit     ? parse_failure::body_too_large
           : ec == http::error::header_limit ? parse_failure::header_too_large
                                             : parse_failure::malformed;
}

void write_ca(const std::string& path, const std::string& pem) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << pem;
    out.close();
    if (!out) throw std::runtime_error("--ca-out " + path + ": cannot write the file");
}

asio::ip::address resolve_host(asio::io_context& io, const std::string& host, const std::string& listen) {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (!ec) return addr;
    tcp::resolver resolver(io);
    auto results = resolver.resolve(host, "", ec);
    if (ec || results.empty())
        throw std::runtime_error("--listen " + listen + ": cannot resolve " + host +
                                 (ec ? ": " + ec.message() : std::string()));
    return results.begin()->endpoint().address();
}

}  // namespace

struct server::impl : std::enable_shared_from_this<impl> {
    struct live_session {
        tls_stream* stream;
        asio::steady_timer* timer;
    };

    impl(asio::io_context& io, server_params p)
        : io_(io), params_(std::move(p)), ssl_(ssl::context::tls_server), acceptor_(io),
          handler_(params_, request_handler::clock::now()) {
        auto hp = parse_host_port(params_.listen);
        if (!hp) throw std::runtime_error("--listen " + params_.listen + ": HOST:PORT expected");
        host_ = hp->host;
        tcp::endpoint ep(resolve_host(io_, host_, params_.listen), hp->port);
        boost::system::error_code ec;
        acceptor_.open(ep.protocol(), ec);
        if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(ep, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) throw std::runtime_error("--listen " + params_.listen + ": " + ec.message());
        port_ = acceptor_.local_endpoint().port();

        certs_ = params_.cert_file.empty()
                     ? make_throwaway_certificates({"localhost", "127.0.0.1", "::1", host_})
                     : load_certificates(params_.cert_file, params_.key_file);
        ssl_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        try {
            ssl_.use_certificate_chain(asio::buffer(certs_.cert_pem));
            ssl_.use_private_key(asio::buffer(certs_.key_pem), ssl::context::pem);
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("--cert/--key: " + std::string(e.what()));
        }
        // Lets TLS 1.2 clients resume sessions from the server's cache.
        static constexpr unsigned char sid[] = "prospect-sandbox";
        SSL_CTX_set_session_id_context(ssl_.native_handle(), sid, sizeof sid - 1);
        if (!params_.ca_out.empty()) write_ca(params_.ca_out, certs_.ca_pem);
    }

    // `self` (this, as a shared_ptr) keeps the state alive as long as any
    // coroutine of the server's lives, whatever the order of destruction.
    asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
        asio::steady_timer backoff(io_);
        while (!stopped_) {
            auto [ec, socket] = co_await acceptor_.async_accept(nothrow);
            if (stopped_ || ec == asio::error::operation_aborted) co_return;
            if (ec) {
                // Out of descriptors, most likely: give connections a moment to close.
                backoff.expires_after(50ms);
                co_await backoff.async_wait(nothrow);
                continue;
            }
            socket.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(io_, session(self, std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> session(std::shared_ptr<impl> self, tcp::socket socket) {
        tls_stream stream(std::move(socket), ssl_);
        asio::steady_timer timer(io_);
        auto registered = sessions_.insert(sessions_.end(), {&stream, &timer});
        struct unregister {
            impl& s;
            std::list<live_session>::iterator it;
            ~unregister() { s.sessions_.erase(it); }
        } guard{*this, registered};
        if (stopped_) co_return;

        auto& tcp_layer = beast::get_lowest_layer(stream);
        tcp_layer.expires_after(handshake_timeout);
        if (auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, nothrow); ec) co_return;

        beast::flat_buffer buffer;
        request req;
        std::string out;
        for (std::uint64_t served = 0;;) {
            req.clear();
            req.body().clear();
            http::request_parser<http::string_body> parser(std::move(req));
            parser.body_limit(request_handler::body_limit);
            parser.header_limit(request_handler::header_limit);
            tcp_layer.expires_after(idle_timeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow);
            req = parser.release();
            response_plan p;
            if (ec) {
                // Closed between requests, cut TLS, idle or stopped: nothing to answer.
                if (!is_http_error(ec) || ec == http::error::end_of_stream || ec == http::error::partial_message)
                    co_return;
                p = handler_.reject(failure_of(ec), ec.message(), out);
            } else {
                ++served;
                bool last = !req.keep_alive() ||
                            (params_.keepalive_requests && served >= params_.keepalive_requests);
                p = handler_.handle({.method = view(req.method_string()),
                                     .target = view(req.target()),
                                     .api_key = view(req["X-API-Key"]),
                                     .content_type = view(req[http::field::content_type]),
                                     .body = req.body(),
                                     .keep_alive = !last},
                                    request_handler::clock::now(), out);
            }
            if (p.latency.count() > 0) {
                timer.expires_after(p.latency);
                co_await timer.async_wait(nothrow);
                if (stopped_) co_return;
            }
            if (p.drop) {
                tcp_layer.close();
                co_return;
            }
            tcp_layer.expires_after(write_timeout);
            if (auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), nothrow); wec) co_return;
            if (p.close) break;
        }
        tcp_layer.expires_after(shutdown_timeout);
        co_await stream.async_shutdown(nothrow);
    }

    void stop() {
        if (stopped_) return;
        stopped_ = true;
        boost::system::error_code ec;
        acceptor_.close(ec);
        for (auto& s : sessions_) {
            beast::get_lowest_layer(*s.stream).close();
            s.timer->cancel();
        }
    }

    asio::io_context& io_;
    server_params params_;
    certificate_set certs_;
    ssl::context ssl_;
    tcp::acceptor acceptor_;
    std::string host_;
    std::uint16_t port_ = 0;
    request_handler handler_;
    std::list<live_session> sessions_;
    bool started_ = false;
    bool stopped_ = false;
};

server::server(asio::io_context& io, server_params params) : impl_(std::make_shared<impl>(io, std::move(params))) {}

server::~server() { stop(); }

std::string server::url() const { return https_origin(impl_->host_, impl_->port_); }

std::string server::ca_pem() const { return impl_->certs_.ca_pem; }

void server::start() {
    if (impl_->started_ || impl_->stopped_) return;
    impl_->started_ = true;
    asio::co_spawn(impl_->io_, impl_->accept_loop(impl_), asio::detached);
}

void server::stop() { impl_->stop(); }

}  // namespace prospect::sandbox
