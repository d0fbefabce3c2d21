// The I/O driver of one API connection: resolve, connect, TLS handshake, one
// request/response at a time over Beast, a single deadline per attempt. Every
// failure is mapped to a post_result kind with a message that names the phase,
// so that the report and the log say what went wrong where.
#include "prospect/net/api_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdio>
#include <optional>

#include "prospect/net/response.hpp"
#include "prospect/net/tls_context.hpp"

namespace prospect::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using stream_type = asio::ssl::stream<beast::tcp_stream>;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Longest Retry-After value passed on; a real one is a date or a few digits.
constexpr std::size_t max_retry_after = 64;

struct session_deleter {
    void operator()(SSL_SESSION* s) const { SSL_SESSION_free(s); }
};

std::string seconds_text(std::chrono::steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", std::chrono::duration<double>(d).count());
    return buf;
}

bool is_certificate_failure(const error_code& ec, SSL* ssl) {
    if (ec.category() == asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED)
        return true;
    return SSL_get_verify_result(ssl) != X509_V_OK;
}

}  // namespace

struct api_connection::impl {
    asio::any_io_executor executor;
    asio::ssl::context& tls;
    base_url url;
    std::string port_text;
    std::string where;  // "host:port" for messages
    tcp::resolver resolver;
    tcp::resolver::results_type endpoints;  // empty: resolve before connecting
    std::optional<stream_type> stream;
    bool exchanged = false;  // the current connection has completed a request/response
    beast::flat_buffer buffer;
    std::optional<http::response_parser<http::string_body>> parser;
    envelope_parser envelopes;
    api_envelope envelope;
    std::unique_ptr<SSL_SESSION, session_deleter> session;  // to resume on the next connect
    std::uint64_t connects = 0;
    std::uint64_t resumed = 0;

    impl(asio::any_io_executor ex, asio::ssl::context& ctx, const base_url& u)
        : executor(std::move(ex)),
          tls(ctx),
          url(u),
          port_text(std::to_string(u.port)),
          where((u.host.find(':') == std::string::npos ? u.host : "[" + u.host + "]") + ":" + port_text),
          resolver(executor) {}

    beast::tcp_stream& lowest() { return stream->next_layer(); }

    // `clean`: the connection ended where the protocol allows (after a whole
    // response); OpenSSL otherwise marks its session unresumable, and the
    // next connect would pay for a full handshake.
    void drop(bool clean = false) {
        if (stream) {
            if (clean) SSL_set_shutdown(stream->native_handle(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
            error_code ignored;
            lowest().socket().close(ignored);
            stream.reset();
        }
        exchanged = false;
        buffer.consume(buffer.size());
    }

    // An idle keep-alive connection must have nothing to say: a FIN, a reset,
    // or any bytes (a TLS close_notify, a late error page) mean the server is
    // done with it, and sending on it would turn a harmless close into a lost
    // request.
    bool idle_connection_usable() {
        if (!stream || !lowest().socket().is_open() || buffer.size() != 0) return false;
        if (BIO_ctrl_pending(SSL_get_rbio(stream->native_handle())) != 0) return false;
        pollfd p{lowest().socket().native_handle(), POLLIN | POLLRDHUP, 0};
        int n = ::poll(&p, 1, 0);
        return n == 0;
    }

    static post_result failure(post_result::kind kind, std::string message) {
        post_result r;
        r.outcome = kind;
        r.message = std::move(message);
        return r;
    }

    post_result timed_out(std::chrono::steady_clock::duration timeout, std::string_view phase) {
        return failure(post_result::kind::timed_out,
                       "no answer from " + where + " within " + seconds_text(timeout) + " (" + std::string(phase) + ")");
    }

    // Resolve, connect and handshake within the deadline; nullopt on success.
    asio::awaitable<std::optional<post_result>> connect(std::chrono::steady_clock::time_point deadline,
                                                         std::chrono::steady_clock::duration timeout) {
        drop();
        // Asio runs getaddrinfo on a private thread that cannot be
        // interrupted, so a resolve is bounded by the system resolver's own
        // timeouts, not by ours; the addresses are kept until a connect fails,
        // which spares a lookup on every keep-alive reconnect.
        if (endpoints.empty()) {
            auto [rec, results] = co_await resolver.async_resolve(url.host, port_text, use_tuple);
            if (rec)
                co_return failure(post_result::kind::connect_failed,
                                  "cannot resolve " + url.host + ": " + rec.message());
            if (std::chrono::steady_clock::now() >= deadline) co_return timed_out(timeout, "resolving the host name");
            endpoints = std::move(results);
        }

        stream.emplace(executor, tls);
        SSL* ssl = stream->native_handle();
        configure_tls_session(ssl, url.host, url.host_is_ip);
        if (session) SSL_set_session(ssl, session.get());

        lowest().expires_at(deadline);
        auto [cec, endpoint] = co_await lowest().async_connect(endpoints, use_tuple);
        if (cec) {
            drop();
            endpoints = {};
            if (cec == beast::error::timeout) co_return timed_out(timeout, "connecting");
            co_return failure(post_result::kind::connect_failed, "cannot connect to " + where + ": " + cec.message());
        }
        error_code ignored;
        lowest().socket().set_option(tcp::no_delay(true), ignored);

        auto [hec] = co_await stream->async_handshake(asio::ssl::stream_base::client, use_tuple);
        if (hec) {
            post_result r;
            if (is_certificate_failure(hec, ssl)) {
                long verify = SSL_get_verify_result(ssl);
                r = failure(post_result::kind::tls_verify_failed,
                            "TLS certificate of " + where + " failed verification: " +
                                (verify != X509_V_OK ? X509_verify_cert_error_string(verify) : hec.message()));
            } else if (hec == beast::error::timeout) {
                r = timed_out(timeout, "TLS handshake");
            } else {
                r = failure(post_result::kind::connect_failed,
                            "TLS handshake with " + where + " failed: " + hec.message());
            }
            ERR_clear_error();
            drop();
            co_return r;
        }
        ++connects;
        if (SSL_session_reused(ssl)) ++resumed;
        co_return std::nullopt;
    }

    // TLS 1.3 session tickets arrive after the handshake, so the session is
    // taken once the first response has been read.
    void remember_session() {
        SSL* ssl = stream->native_handle();
        if (SSL_session_reused(ssl) && session) return;
        SSL_SESSION* s = SSL_get1_session(ssl);
        if (s && SSL_SESSION_is_resumable(s))
            session.reset(s);
        else if (s)
            SSL_SESSION_free(s);
    }
};

api_connection::api_connection(asio::any_io_executor executor, asio::ssl::context& tls, const base_url& url)
    : impl_(std::make_unique<impl>(std::move(executor), tls, url)) {}

api_connection::~api_connection() = default;

asio::awaitable<post_result> api_connection::post(std::string_view request_bytes,
                                                  std::chrono::steady_clock::duration timeout) {
    impl& s = *impl_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;

    bool reused = s.stream && s.exchanged;
    if (reused && !s.idle_connection_usable()) {
        s.drop(true);
        reused = false;
    }
    for (;;) {
        if (!s.stream) {
            if (auto failed = co_await s.connect(deadline, timeout)) co_return std::move(*failed);
            reused = false;
        }
        s.lowest().expires_at(deadline);
        auto [wec, written] = co_await asio::async_write(*s.stream, asio::buffer(request_bytes), use_tuple);
        if (!wec) break;
        s.drop();
        if (wec == beast::error::timeout) co_return s.timed_out(timeout, "sending the request");
        // The server closed a kept-alive connection before it took the
        // request: nothing was processed, so send it again on a fresh one.
        // A local close() is a shutdown, not a reason to reconnect.
        if (reused && wec != asio::error::operation_aborted) {
            reused = false;
            continue;
        }
        co_return impl::failure(post_result::kind::connection_lost,
                                "connection to " + s.where + " lost while sending the request: " + wec.message());
    }

    s.parser.emplace();
    s.parser->body_limit(max_response_body);
    auto [rec, read] = co_await http::async_read(*s.stream, s.buffer, *s.parser, use_tuple);
    if (rec) {
        s.drop();
        if (rec == beast::error::timeout) co_return s.timed_out(timeout, "waiting for the response");
        if (rec == http::error::body_limit)
            co_return impl::failure(post_result::kind::connection_lost,
                                    "response from " + s.where + " larger than " +
                                        std::to_string(max_response_body) + " bytes");
        bool closed = rec == http::error::end_of_stream || rec == asio::ssl::error::stream_truncated ||
                      rec == asio::error::eof || rec == asio::error::connection_reset;
        co_return impl::failure(post_result::kind::connection_lost,
                                closed ? "connection closed by " + s.where + " before a response"
                                       : "connection to " + s.where + " lost before a response: " + rec.message());
    }

    auto& response = s.parser->get();
    post_result r;
    r.outcome = post_result::kind::response;
    r.status = static_cast<int>(response.result_int());
    auto retry_after = response[http::field::retry_after];
    r.retry_after.assign(retry_after.data(), std::min(retry_after.size(), max_retry_after));
    s.envelopes.parse(r.status, response.reason(), response.body(), s.envelope);
    r.message = s.envelope.message;
    if (!s.exchanged) s.remember_session();
    s.exchanged = true;
    if (!response.keep_alive()) s.drop(true);
    co_return r;
}

void api_connection::close() {
    impl_->resolver.cancel();
    if (impl_->stream) impl_->lowest().close();
}

std::uint64_t api_connection::connects() const { return impl_->connects; }
std::uint64_t api_connection::resumed_sessions() const { return impl_->resumed; }

}  // namespace prospect::net
