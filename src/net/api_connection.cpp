// The I/O driver of one API connection: resolve, connect, TLS handshake, one
// request/response at a time over Beast, a single deadline per attempt. Every
// failure is mapped to a post_result kind with a message that names the phase,
// so that the report and the log say what went wrong where.
//
// The deadline is one timer per connection that is re-armed only when it
// fires (a watchdog), not a timer per read and write as beast::tcp_stream
// arms: with a 30 s timeout and requests of a few hundred microseconds, a
// request then costs no timer operation at all.
#include "prospect/net/api_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <cstdio>
#include <optional>

#include "prospect/net/response.hpp"
#include "prospect/net/response_reader.hpp"
#include "prospect/net/tls_context.hpp"

namespace prospect::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using stream_type = asio::ssl::stream<tcp::socket>;
using clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

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

struct api_connection::impl : std::enable_shared_from_this<impl> {
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
    response_parts response;
    std::optional<response_reader> reader;
    envelope_parser envelopes;
    api_envelope envelope;
    std::unique_ptr<SSL_SESSION, session_deleter> session;  // to resume on the next connect
    std::uint64_t connects = 0;
    std::uint64_t resumed = 0;
    asio::steady_timer watchdog;
    clock::time_point deadline = clock::time_point::max();  // of the attempt in progress; max while idle
    bool watchdog_waiting = false;
    bool expired = false;  // the watchdog closed the socket: the attempt's deadline passed

    impl(asio::any_io_executor ex, asio::ssl::context& ctx, const base_url& u)
        : executor(std::move(ex)),
          tls(ctx),
          url(u),
          port_text(std::to_string(u.port)),
          where((u.host.find(':') == std::string::npos ? u.host : "[" + u.host + "]") + ":" + port_text),
          resolver(executor),
          watchdog(executor) {}

    tcp::socket& lowest() { return stream->next_layer(); }

    // The deadline of the attempt that starts now. A wait already pending
    // that ends no later is left alone: when it ends early it waits again.
    void expire_at(clock::time_point d) {
        deadline = d;
        expired = false;
        if (watchdog_waiting && watchdog.expiry() <= d) return;
        watchdog_waiting = true;
        watchdog.expires_at(d);  // cancels a later wait (its handler sees operation_aborted)
        // The handler may run after the connection is gone.
        watchdog.async_wait([self = weak_from_this()](const error_code& ec) {
            if (auto s = self.lock(); s && ec != asio::error::operation_aborted) s->on_watchdog();
        });
    }

    void on_watchdog() {
        watchdog_waiting = false;
        if (deadline == clock::time_point::max()) return;
        if (clock::now() < deadline) {
            expire_at(deadline);
            return;
        }
        // As beast::tcp_stream does on a timeout: the operation in progress
        // ends with an error, and `expired` says why.
        expired = true;
        error_code ignored;
        if (stream) lowest().close(ignored);
    }

    // `clean`: the connection ended where the protocol allows (after a whole
    // response); OpenSSL otherwise marks its session unresumable, and the
    // next connect would pay for a full handshake.
    void drop(bool clean = false) {
        if (stream) {
            if (clean) SSL_set_shutdown(stream->native_handle(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
            error_code ignored;
            lowest().close(ignored);
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
        if (!stream || !lowest().is_open() || buffer.size() != 0) return false;
        if (BIO_ctrl_pending(SSL_get_rbio(stream->native_handle())) != 0) return false;
        pollfd p{lowest().native_handle(), POLLIN | POLLRDHUP, 0};
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
    asio::awaitable<std::optional<post_result>> connect(clock::time_point deadline, clock::duration timeout) {
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
            if (clock::now() >= deadline) co_return timed_out(timeout, "resolving the host name");
            endpoints = std::move(results);
        }

        stream.emplace(executor, tls);
        SSL* ssl = stream->native_handle();
        configure_tls_session(ssl, url.host, url.host_is_ip);
        if (session) SSL_set_session(ssl, session.get());

        auto [cec, endpoint] = co_await asio::async_connect(lowest(), endpoints, use_tuple);
        if (cec) {
            drop();
            endpoints = {};
            if (expired) co_return timed_out(timeout, "connecting");
            co_return failure(post_result::kind::connect_failed, "cannot connect to " + where + ": " + cec.message());
        }
        error_code ignored;
        lowest().set_option(tcp::no_delay(true), ignored);

        auto [hec] = co_await stream->async_handshake(asio::ssl::stream_base::client, use_tuple);
        if (hec) {
            post_result r;
            if (is_certificate_failure(hec, ssl)) {
                long verify = SSL_get_verify_result(ssl);
                r = failure(post_result::kind::tls_verify_failed,
                            "TLS certificate of " + where + " failed verification: " +
                                (verify != X509_V_OK ? X509_verify_cert_error_string(verify) : hec.message()));
            } else if (expired) {
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
    : impl_(std::make_shared<impl>(std::move(executor), tls, url)) {}

api_connection::~api_connection() = default;

asio::awaitable<post_result> api_connection::post(std::string_view request_bytes, clock::duration timeout) {
    impl& s = *impl_;
    const auto deadline = clock::now() + timeout;
    s.expire_at(deadline);
    struct idle_on_exit {  // whatever way the attempt ends, the watchdog then leaves the connection alone
        impl& s;
        ~idle_on_exit() { s.deadline = clock::time_point::max(); }
    } idle{s};

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
        auto [wec, written] = co_await asio::async_write(*s.stream, asio::buffer(request_bytes), use_tuple);
        if (!wec) break;
        s.drop();
        if (s.expired) co_return s.timed_out(timeout, "sending the request");
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

    s.reader.emplace(s.response, max_response_body);
    auto [rec, read] = co_await http::async_read(*s.stream, s.buffer, *s.reader, use_tuple);
    if (rec) {
        s.drop();
        if (s.expired) co_return s.timed_out(timeout, "waiting for the response");
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

    const auto& response = s.response;
    post_result r;
    r.outcome = post_result::kind::response;
    r.status = response.status;
    r.retry_after = response.retry_after;
    s.envelopes.parse(r.status, response.reason, response.body, s.envelope);
    r.message = s.envelope.message;
    if (!s.exchanged) s.remember_session();
    s.exchanged = true;
    if (!s.reader->keep_alive()) s.drop(true);
    co_return r;
}

void api_connection::close() {
    impl& s = *impl_;
    s.resolver.cancel();
    s.deadline = clock::time_point::max();
    s.watchdog.cancel();  // a pending wait would keep the io_context running
    s.watchdog_waiting = false;
    error_code ignored;
    if (s.stream) s.lowest().close(ignored);
}

std::uint64_t api_connection::connects() const { return impl_->connects; }
std::uint64_t api_connection::resumed_sessions() const { return impl_->resumed; }

}  // namespace prospect::net
