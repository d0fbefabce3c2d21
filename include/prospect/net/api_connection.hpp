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

namespace boost::asio::ssl {
class context;
}

namespace prospect::net {

// Largest response body accepted; the API's envelopes are a few hundred bytes.
inline constexpr std::size_t max_response_body = 1 << 20;

struct post_result {  // what one attempt ended in
    enum class kind { response, connect_failed, timed_out, connection_lost, tls_verify_failed };
    kind outcome = kind::connection_lost;
    int status = 0;           // HTTP status when outcome == response
    std::string message;      // API message, or an operator-facing transport error (never the key)
    std::string retry_after;  // raw Retry-After header, empty if none
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
