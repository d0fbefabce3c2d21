// Connecting one API connection: resolve, TCP connect, TLS handshake (with
// session resumption), and the plumbing every phase shares: the watchdog
// that enforces the attempt's single deadline, and moving ciphertext between
// OpenSSL's BIO pair and the non-blocking socket.
//
// OpenSSL is driven here directly, through a BIO pair whose outer end this
// file fills from the socket and drains into it, as asio::ssl::stream does,
// but without its layers of composed operations: a request is one SSL_write
// and one non-blocking send, a response one wait for the socket, one read and
// (usually) one SSL_read, parsed by Beast's parser as the bytes come. A
// request costs one suspension of the coroutine, and the OpenSSL error queue
// is touched only when something failed.
//
// The deadline is one timer per connection that is re-armed only when it
// fires (a watchdog), not a timer per read and write: with a 30 s timeout and
// requests of a few hundred microseconds, a request costs no timer operation.
#include "connection_state.hpp"

#include <openssl/err.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>

#include "prospect/net/tls_context.hpp"

namespace prospect::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string seconds_text(std::chrono::steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", std::chrono::duration<double>(d).count());
    return buf;
}

}  // namespace

api_connection::impl::impl(asio::any_io_executor ex, asio::ssl::context& ctx, const base_url& u)
    : executor(std::move(ex)),
      tls(ctx.native_handle()),
      url(u),
      port_text(std::to_string(u.port)),
      where((u.host.find(':') == std::string::npos ? u.host : "[" + u.host + "]") + ":" + port_text),
      resolver(executor),
      socket(executor),
      watchdog(executor) {}

void api_connection::impl::expire_at(clock::time_point d) {
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

void api_connection::impl::on_watchdog() {
    watchdog_waiting = false;
    if (deadline == clock::time_point::max()) return;
    if (clock::now() < deadline) {
        expire_at(deadline);
        return;
    }
    // The operation in progress ends with an error, and `expired` says why.
    expired = true;
    error_code ignored;
    socket.close(ignored);
}

void api_connection::impl::drop(bool clean) {
    if (link) {
        if (clean) SSL_set_shutdown(link->ssl(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        link.reset();
    }
    error_code ignored;
    socket.close(ignored);
    exchanged = false;
    answers.clear();
}

bool api_connection::impl::idle_connection_usable() {
    if (!link || !socket.is_open() || answers.has_leftover() || link->has_input()) return false;
    pollfd p{socket.native_handle(), POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) == 0;
}

asio::awaitable<error_code> api_connection::impl::send_output() {
    for (auto out = link->output(); !out.empty(); out = link->output()) {
        error_code ec;
        std::size_t sent = socket.send(asio::buffer(out), 0, ec);
        if (ec == asio::error::would_block) {
            auto [wec] = co_await socket.async_wait(tcp::socket::wait_write, use_tuple);
            if (wec) co_return wec;
            if (!socket.is_open()) co_return asio::error::operation_aborted;
            continue;
        }
        if (ec) co_return ec;
        link->consume_output(sent);
    }
    co_return error_code{};
}

asio::awaitable<error_code> api_connection::impl::receive_input() {
    auto room = link->input_room();
    if (room.size() == 0) co_return asio::error::no_buffer_space;  // OpenSSL has a whole record it has not read
    auto [ec, n] = co_await socket.async_read_some(room, use_tuple);
    // The watchdog or close() may have closed the socket after the read completed.
    if (!ec && !socket.is_open()) ec = asio::error::operation_aborted;
    if (ec) co_return ec;
    link->commit_input(n);
    co_return error_code{};
}

post_result api_connection::impl::failure(post_result::kind kind, std::string message) {
    post_result r;
    r.outcome = kind;
    r.message = std::move(message);
    return r;
}

post_result api_connection::impl::timed_out(clock::duration timeout, std::string_view phase, post_result::kind kind) {
    return failure(kind,
                   "no answer from " + where + " within " + seconds_text(timeout) + " (" + std::string(phase) + ")");
}

bool api_connection::impl::certificate_failed(unsigned long error) const {
    if (ERR_GET_REASON(error) == SSL_R_CERTIFICATE_VERIFY_FAILED) return true;
    return SSL_get_verify_result(link->ssl()) != X509_V_OK;
}

asio::awaitable<std::optional<post_result>> api_connection::impl::connect(clock::time_point deadline, clock::duration timeout) {
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
        if (clock::now() >= deadline)
            co_return timed_out(timeout, "resolving the host name", post_result::kind::connect_failed);
        endpoints = std::move(results);
    }

    auto [cec, endpoint] = co_await asio::async_connect(socket, endpoints, use_tuple);
    if (cec) {
        drop();
        endpoints = {};
        if (expired) co_return timed_out(timeout, "connecting", post_result::kind::connect_failed);
        co_return failure(post_result::kind::connect_failed, "cannot connect to " + where + ": " + cec.message());
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    socket.non_blocking(true, ignored);  // send_output() never blocks the thread

    // Only failures put errors in OpenSSL's queue, and each is taken out
    // where it is seen; this clears what other code on the thread left.
    ERR_clear_error();

    link.emplace(tls);
    SSL* ssl = link->ssl();
    configure_tls_session(ssl, url.host, url.host_is_ip);
    if (session) SSL_set_session(ssl, session.get());

    auto handshake_failed = [&](std::string reason) {
        drop();
        return failure(post_result::kind::tls_failed, "TLS handshake with " + where + " failed: " + reason);
    };
    for (;;) {
        int r = SSL_do_handshake(ssl);
        bool want_read = r != 1 && SSL_want_read(ssl);
        if (r != 1 && !want_read && !SSL_want_write(ssl)) {
            if (certificate_failed(ERR_peek_last_error())) {
                long verify = SSL_get_verify_result(ssl);
                std::string why = verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                                      : take_openssl_error("certificate verify failed");
                ERR_clear_error();
                drop();
                co_return failure(post_result::kind::tls_verify_failed,
                                  "TLS certificate of " + where + " failed verification: " + why);
            }
            co_return handshake_failed(take_openssl_error("protocol error"));
        }
        if (auto ec = co_await send_output()) {
            if (expired) {
                drop();
                co_return timed_out(timeout, "TLS handshake", post_result::kind::tls_failed);
            }
            co_return handshake_failed(ec.message());
        }
        if (r == 1) break;
        if (!want_read) continue;
        if (auto ec = co_await receive_input()) {
            if (expired) {
                drop();
                co_return timed_out(timeout, "TLS handshake", post_result::kind::tls_failed);
            }
            co_return handshake_failed(ec == asio::error::eof ? "the server closed the connection"
                                                              : ec.message());
        }
    }
    ++connects;
    if (SSL_session_reused(ssl)) ++resumed;
    co_return std::nullopt;
}

void api_connection::impl::remember_session() {
    SSL* ssl = link->ssl();
    if (SSL_session_reused(ssl) && session) return;
    SSL_SESSION* s = SSL_get1_session(ssl);
    if (s && SSL_SESSION_is_resumable(s))
        session.reset(s);
    else if (s)
        SSL_SESSION_free(s);
}

}  // namespace prospect::net
