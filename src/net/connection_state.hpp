// The state of one API connection, private to the net layer: the socket, the
// TLS link over it, the attempt's deadline (a watchdog timer) and the answer
// being assembled. connection_setup.cpp connects and handshakes it;
// api_connection.cpp exchanges a request for its answer on it.
#pragma once

#include "prospect/net/api_connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "answer_assembler.hpp"
#include "tls_link.hpp"

namespace prospect::net {

struct session_deleter {
    void operator()(SSL_SESSION* s) const { SSL_SESSION_free(s); }
};

struct api_connection::impl : std::enable_shared_from_this<impl> {
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::system::error_code;
    using clock = std::chrono::steady_clock;

    boost::asio::any_io_executor executor;
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
    boost::asio::steady_timer watchdog;
    clock::time_point deadline = clock::time_point::max();  // of the attempt in progress; max while idle
    bool watchdog_waiting = false;
    bool expired = false;  // the watchdog closed the socket: the attempt's deadline passed

    impl(boost::asio::any_io_executor ex, boost::asio::ssl::context& ctx, const base_url& u);

    // Connecting (connection_setup.cpp).

    // The deadline of the attempt that starts now. A wait already pending
    // that ends no later is left alone: when it ends early it waits again.
    void expire_at(clock::time_point d);
    void on_watchdog();
    // `clean`: the connection ended where the protocol allows (after a whole
    // response); OpenSSL otherwise marks its session unresumable, and the
    // next connect would pay for a full handshake.
    void drop(bool clean = false);
    // An idle keep-alive connection must have nothing to say: a FIN, a reset,
    // or any bytes (a TLS close_notify, a late error page) mean the server is
    // done with it, and sending on it would turn a harmless close into a lost
    // request.
    bool idle_connection_usable();
    // Hands OpenSSL's output to the socket, without suspending while the
    // socket takes it (a request always fits in its send buffer).
    boost::asio::awaitable<error_code> send_output();
    // Waits for ciphertext from the server and hands it to OpenSSL.
    boost::asio::awaitable<error_code> receive_input();
    static post_result failure(post_result::kind kind, std::string message);
    post_result timed_out(clock::duration timeout, std::string_view phase,
                          post_result::kind kind = post_result::kind::timed_out);
    bool certificate_failed(unsigned long error) const;
    // Resolve, connect and handshake within the deadline; nullopt on success.
    boost::asio::awaitable<std::optional<post_result>> connect(clock::time_point deadline, clock::duration timeout);
    // TLS 1.3 session tickets arrive after the handshake, so the session is
    // taken once the first response has been read.
    void remember_session();

    // Exchanging a request for its answer (api_connection.cpp).

    // Encrypts and sends the request; an error_code from the socket, or a
    // message when OpenSSL itself failed.
    boost::asio::awaitable<std::pair<error_code, std::string>> send_request(std::string_view bytes);
    // Decrypts what the socket already delivered, without waiting (no
    // system call). `data` means application data.
    enum class pending { none, data, closing };
    pending take_pending_input();
    // Decrypts and parses until the final answer is complete.
    enum class read_end { done, socket_error, closed, tls_error, unreadable, switching, out_of_step };
    struct read_status {
        read_end end = read_end::done;
        error_code ec;
        std::string tls_message;
    };
    boost::asio::awaitable<read_status> read_response();
    // What a read that did not end in a whole answer means for the row.
    post_result lost(const read_status& status, clock::duration timeout);
    // The final answer; `whole` is false when its body was not read to the end.
    post_result answer(bool whole);
};

}  // namespace prospect::net
