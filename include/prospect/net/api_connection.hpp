// One persistent keep-alive HTTPS connection to the API, driven by one worker
// coroutine at a time. It (re)connects lazily and reports every attempt as a
// post_result value: transport trouble is data for the retry policy, not an
// exception. Only the pipeline includes this header (it needs Asio types).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "prospect/net/base_url.hpp"
#include "prospect/policy/classify.hpp"

namespace boost::asio::ssl {
class context;
}

namespace prospect::net {

// Largest response body kept; the API's envelopes are a few hundred bytes.
inline constexpr std::size_t max_response_body = 1 << 20;
// Largest response body read (and dropped past max_response_body) to keep the
// connection; beyond it the answer stands on its status line and the
// connection is closed.
inline constexpr std::uint64_t max_discarded_body = std::uint64_t{64} << 20;

struct post_result {  // what one attempt ended in
    // The one list of ways an attempt ends, shared with the retry policy and
    // the metrics. Here: response is a final answer framed with certainty;
    // connect_failed (resolve or TCP connect failed or timed out),
    // tls_verify_failed and tls_failed (the handshake failed or timed out,
    // not the certificate) left no request; timed_out means --timeout passed
    // after the request was (possibly) written; connection_lost, that the
    // connection failed or the answer could not be framed with certainty.
    using kind = policy::attempt_kind;
    kind outcome = kind::connection_lost;
    // Whether any byte of the request may have reached the server: false
    // when the attempt ended before the request was written (connect,
    // handshake, certificate, bytes from the server before the request).
    // A caller counts a request sent, or an attempt made, only when true.
    bool request_sent = false;
    int status = 0;             // HTTP status when outcome == response
    bool api_envelope = false;  // the body was the API's JSON envelope (an object with a string "status" and a "message")
    bool body_discarded = false;  // a response whose body was over max_response_body: not kept, not parsed
    std::string message;        // API message, or an operator-facing transport error (never the key)
    std::string retry_after;    // raw Retry-After header, empty if none
    // The response's body as kept (for the bulk endpoint's answer); valid
    // until the next post() on the same connection. Empty when discarded.
    std::string_view body;
};

class api_connection {
public:
    // `tls` must outlive the connection (make_tls_context).
    api_connection(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls, const base_url& url);
    ~api_connection();
    api_connection(const api_connection&) = delete;
    api_connection& operator=(const api_connection&) = delete;

    // Sends the prepared request bytes (request_builder::build; they must stay
    // alive until the result) and reads the response, all within `timeout`
    // (resolve + connect + TLS + write + read, counted together).
    // A kept-alive connection that the server closed while idle is replaced
    // before sending, without it counting as an attempt; one that dies after
    // the request went out yields connection_lost (the caller retries).
    // Interim 1xx answers are skipped. Anything that puts answers and
    // requests out of step (an unasked 101, bytes after the answer, a body
    // cut short, a close-delimited body ended without close_notify) is
    // connection_lost and the connection is dropped: never a response.
    boost::asio::awaitable<post_result> post(std::string_view request_bytes,
                                             std::chrono::steady_clock::duration timeout);

    // Abrupt close (shutdown); an operation in progress ends with connection_lost.
    void close();

    // TCP+TLS connections established so far.
    std::uint64_t connects() const;
    // Of those, the ones that resumed an earlier TLS session (no full handshake).
    std::uint64_t resumed_sessions() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;  // the deadline timer's handler holds a weak_ptr: it may run after the connection is gone
};

}  // namespace prospect::net
