// Exchanging a request for its answer on one API connection: one request
// at a time under a single deadline, the connection (re)made lazily by
// connection_setup.cpp. Every failure is mapped to a post_result kind with a
// message that names the phase, so that the report and the log say what went
// wrong where.
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

#include "connection_state.hpp"

#include <openssl/err.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace prospect::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

asio::awaitable<std::pair<error_code, std::string>> api_connection::impl::send_request(std::string_view bytes) {
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

api_connection::impl::pending api_connection::impl::take_pending_input() {
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

asio::awaitable<api_connection::impl::read_status> api_connection::impl::read_response() {
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

post_result api_connection::impl::lost(const read_status& status, clock::duration timeout) {
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

post_result api_connection::impl::answer(bool whole) {
    post_result r;
    r.request_sent = true;
    answers.fill(r, whole);
    if (!exchanged) remember_session();
    exchanged = true;
    if (!whole || !answers.keep_alive() || (SSL_get_shutdown(link->ssl()) & SSL_RECEIVED_SHUTDOWN))
        drop(whole);
    return r;
}

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
