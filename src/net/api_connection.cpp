// The I/O driver of one API connection: resolve, connect, TLS handshake, one
// request/response at a time, a single deadline per attempt. Every failure is
// mapped to a post_result kind with a message that names the phase, so that
// the report and the log say what went wrong where.
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
//
// Framing fails closed (RFC 9110 15.2, RFC 9112 6.3 and 9.8): interim 1xx
// answers are skipped and the final one that follows is the request's; an
// unasked 101, application data before the request is written or after the
// final answer, a body cut short, and a close-delimited body ended by a bare
// FIN instead of close_notify (a truncation attack looks the same) all drop
// the connection and end in connection_lost, so the row is retried, never
// credited from an answer that may be another request's. A body over
// max_response_body is read and dropped up to max_discarded_body; the status
// line is the answer either way.
#include "prospect/net/api_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <optional>

#include "answer_assembler.hpp"
#include "prospect/net/tls_context.hpp"
#include "tls_link.hpp"

namespace prospect::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
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

}  // namespace

struct api_connection::impl : std::enable_shared_from_this<impl> {
    asio::any_io_executor executor;
    SSL_CTX* tls;
    base_url url;
    std::string port_text;
    std::string where;  // "host:port" for messages
    tcp::resolver resolver;
    tcp::resolver::results_type endpoints;  // empty: resolve before connecting
    tcp::socket socket;
    std::optional<tls_link> link;  // engaged while connected
    bool exchanged = false;        // the current connection has completed a request/response
    answer_assembler answers;
    std::unique_ptr<SSL_SESSION, session_deleter> session;  // to resume on the next connect
    std::uint64_t connects = 0;
    std::uint64_t resumed = 0;
    asio::steady_timer watchdog;
    clock::time_point deadline = clock::time_point::max();  // of the attempt in progress; max while idle
    bool watchdog_waiting = false;
    bool expired = false;  // the watchdog closed the socket: the attempt's deadline passed

    impl(asio::any_io_executor ex, asio::ssl::context& ctx, const base_url& u)
        : executor(std::move(ex)),
          tls(ctx.native_handle()),
          url(u),
          port_text(std::to_string(u.port)),
          where((u.host.find(':') == std::string::npos ? u.host : "[" + u.host + "]") + ":" + port_text),
          resolver(executor),
          socket(executor),
          watchdog(executor) {}

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
        // The operation in progress ends with an error, and `expired` says why.
        expired = true;
        error_code ignored;
        socket.close(ignored);
    }

    // `clean`: the connection ended where the protocol allows (after a whole
    // response); OpenSSL otherwise marks its session unresumable, and the
    // next connect would pay for a full handshake.
    void drop(bool clean = false) {
        if (link) {
            if (clean) SSL_set_shutdown(link->ssl(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
            link.reset();
        }
        error_code ignored;
        socket.close(ignored);
        exchanged = false;
        answers.clear();
    }

    // An idle keep-alive connection must have nothing to say: a FIN, a reset,
    // or any bytes (a TLS close_notify, a late error page) mean the server is
    // done with it, and sending on it would turn a harmless close into a lost
    // request.
    bool idle_connection_usable() {
        if (!link || !socket.is_open() || answers.has_leftover() || link->has_input()) return false;
        pollfd p{socket.native_handle(), POLLIN | POLLRDHUP, 0};
        return ::poll(&p, 1, 0) == 0;
    }

    // Hands OpenSSL's output to the socket, without suspending while the
    // socket takes it (a request always fits in its send buffer).
    asio::awaitable<error_code> send_output() {
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

    // Waits for ciphertext from the server and hands it to OpenSSL.
    asio::awaitable<error_code> receive_input() {
        auto room = link->input_room();
        if (room.size() == 0) co_return asio::error::no_buffer_space;  // OpenSSL has a whole record it has not read
        auto [ec, n] = co_await socket.async_read_some(room, use_tuple);
        // The watchdog or close() may have closed the socket after the read completed.
        if (!ec && !socket.is_open()) ec = asio::error::operation_aborted;
        if (ec) co_return ec;
        link->commit_input(n);
        co_return error_code{};
    }

    static post_result failure(post_result::kind kind, std::string message) {
        post_result r;
        r.outcome = kind;
        r.message = std::move(message);
        return r;
    }

    post_result timed_out(std::chrono::steady_clock::duration timeout, std::string_view phase,
                          post_result::kind kind = post_result::kind::timed_out) {
        return failure(kind,
                       "no answer from " + where + " within " + seconds_text(timeout) + " (" + std::string(phase) + ")");
    }

    bool certificate_failed(unsigned long error) const {
        if (ERR_GET_REASON(error) == SSL_R_CERTIFICATE_VERIFY_FAILED) return true;
        return SSL_get_verify_result(link->ssl()) != X509_V_OK;
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

    // TLS 1.3 session tickets arrive after the handshake, so the session is
    // taken once the first response has been read.
    void remember_session() {
        SSL* ssl = link->ssl();
        if (SSL_session_reused(ssl) && session) return;
        SSL_SESSION* s = SSL_get1_session(ssl);
        if (s && SSL_SESSION_is_resumable(s))
            session.reset(s);
        else if (s)
            SSL_SESSION_free(s);
    }

    // Encrypts and sends the request; an error_code from the socket, or a
    // message when OpenSSL itself failed.
    asio::awaitable<std::pair<error_code, std::string>> send_request(std::string_view bytes) {
        for (;;) {
            int r = SSL_write(link->ssl(), bytes.data(), static_cast<int>(bytes.size()));
            bool retry = r <= 0 && (SSL_want_write(link->ssl()) || SSL_want_read(link->ssl()));
            if (r <= 0 && !retry) co_return std::pair{error_code{}, take_openssl_error("TLS write failed")};
            if (auto ec = co_await send_output()) co_return std::pair{ec, std::string()};
            if (r > 0) co_return std::pair{error_code{}, std::string()};
            if (SSL_want_read(link->ssl()))
                if (auto ec = co_await receive_input()) co_return std::pair{ec, std::string()};
        }
    }

    // Decrypts what the socket already delivered, without waiting (no
    // system call). `data` means application data.
    enum class pending { none, data, closing };
    pending take_pending_input() {
        if (!link->has_input()) return pending::none;
        SSL* ssl = link->ssl();
        auto room = answers.room();
        int n = SSL_read(ssl, room.data(), static_cast<int>(room.size()));
        if (n > 0) {
            answers.commit(static_cast<std::size_t>(n));
            return pending::data;
        }
        if (SSL_want_read(ssl)) return pending::none;  // part of a record, or a session ticket
        ERR_clear_error();
        return pending::closing;  // close_notify or a TLS error: the connection ends here
    }

    // Decrypts and parses until the final answer is complete.
    enum class read_end { done, socket_error, closed, tls_error, unreadable, switching, out_of_step };
    struct read_status {
        read_end end = read_end::done;
        error_code ec;
        std::string tls_message;
    };

    asio::awaitable<read_status> read_response() {
        answers.start();
        SSL* ssl = link->ssl();
        bool need_input = !link->has_input();
        for (;;) {
            switch (answers.parse()) {
            case answer_assembler::state::need_more: break;
            case answer_assembler::state::unreadable: co_return read_status{read_end::unreadable, answers.error(), {}};
            case answer_assembler::state::switching: co_return read_status{read_end::switching, {}, {}};
            case answer_assembler::state::done:
                // Only the end of the connection may follow a final answer:
                // more data is another answer or garbage, and which answer
                // was this request's cannot be told.
                if (answers.has_leftover() || take_pending_input() == pending::data)
                    co_return read_status{read_end::out_of_step, {}, {}};
                co_return read_status{};
            }
            if (need_input) {
                if (auto ec = co_await receive_input()) {
                    // A bare FIN or reset ends nothing: a close-delimited body
                    // ends only with close_notify, or it may be cut short.
                    bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
                    co_return read_status{closed ? read_end::closed : read_end::socket_error, ec, {}};
                }
            }
            auto room = answers.room();
            int n = SSL_read(ssl, room.data(), static_cast<int>(room.size()));
            if (n > 0) {
                answers.commit(static_cast<std::size_t>(n));
                need_input = false;
                continue;
            }
            need_input = SSL_want_read(ssl);
            if (need_input) continue;
            if (SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN) {  // close_notify
                ERR_clear_error();
                if (answers.finish_at_close()) co_return read_status{};
                co_return read_status{read_end::closed, {}, {}};
            }
            co_return read_status{read_end::tls_error, {}, take_openssl_error("TLS read failed")};
        }
    }

    // What a read that did not end in a whole answer means for the row.
    post_result lost(const read_status& status, std::chrono::steady_clock::duration timeout) {
        post_result r;
        if (expired) {
            r = timed_out(timeout, "waiting for the response");
        } else {
            std::string why;
            switch (status.end) {
            case read_end::unreadable: why = "unreadable response from " + where + ": " + status.ec.message(); break;
            case read_end::closed: why = "connection closed by " + where + " before a response"; break;
            case read_end::switching: why = "101 Switching Protocols from " + where + ", which was not asked for"; break;
            case read_end::out_of_step:
                why = "bytes from " + where + " after its response: answers and requests may be out of step";
                break;
            case read_end::tls_error: why = "connection to " + where + " lost before a response: " + status.tls_message; break;
            default: why = "connection to " + where + " lost before a response: " + status.ec.message(); break;
            }
            r = failure(post_result::kind::connection_lost, std::move(why));
        }
        r.request_sent = true;
        return r;
    }

    // The final answer; `whole` is false when its body was not read to the end.
    post_result answer(bool whole) {
        post_result r;
        r.request_sent = true;
        answers.fill(r, whole);
        if (!exchanged) remember_session();
        exchanged = true;
        if (!whole || !answers.keep_alive() || (SSL_get_shutdown(link->ssl()) & SSL_RECEIVED_SHUTDOWN))
            drop(whole);
        return r;
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

    bool reused = s.link && s.exchanged;
    if (reused && !s.idle_connection_usable()) {
        s.drop(true);
        reused = false;
    }
    for (;;) {
        if (!s.link) {
            if (auto failed = co_await s.connect(deadline, timeout)) co_return std::move(*failed);
            reused = false;
            // Nothing was asked yet: an answer now would be taken for the request's.
            if (s.take_pending_input() == impl::pending::data) {
                s.drop();
                co_return impl::failure(post_result::kind::connection_lost,
                                        "bytes from " + s.where + " before the request was sent: answers and requests "
                                                                  "would be out of step");
            }
        }
        auto [wec, tls_error] = co_await s.send_request(request_bytes);
        if (!wec && tls_error.empty()) break;
        s.drop();
        // The server closed a kept-alive connection before it took the
        // request: nothing was processed, so send it again on a fresh one.
        // A local close() is a shutdown, not a reason to reconnect.
        if (!s.expired && reused && wec != asio::error::operation_aborted) {
            reused = false;
            continue;
        }
        auto r = s.expired ? s.timed_out(timeout, "sending the request")
                           : impl::failure(post_result::kind::connection_lost,
                                           "connection to " + s.where + " lost while sending the request: " +
                                               (wec ? wec.message() : tls_error));
        r.request_sent = true;
        co_return r;
    }

    auto status = co_await s.read_response();
    if (status.end == impl::read_end::done) co_return s.answer(true);
    // A final status whose body is being dropped is the answer, whether the
    // body ends past max_discarded_body, at the deadline or cut short.
    if (s.answers.decided()) co_return s.answer(false);
    s.drop();
    co_return s.lost(status, timeout);
}

void api_connection::close() {
    impl& s = *impl_;
    s.resolver.cancel();
    s.deadline = clock::time_point::max();
    s.watchdog.cancel();  // a pending wait would keep the io_context running
    s.watchdog_waiting = false;
    error_code ignored;
    s.socket.close(ignored);
}

std::uint64_t api_connection::connects() const { return impl_->connects; }
std::uint64_t api_connection::resumed_sessions() const { return impl_->resumed; }

}  // namespace prospect::net
