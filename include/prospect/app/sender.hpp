// The pipeline's transport seam: it hands a unit of work's request bytes to
// a sender and gets one post_result back. A real run has one keep-alive TLS
// connection per worker; the pipeline's tests script a fake one.
#pragma once

#include "prospect/net/api_connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

namespace prospect::app {

class sender {
public:
    virtual ~sender() = default;
    // Sends `request` (alive until the result) and reads its answer within `timeout`.
    virtual boost::asio::awaitable<net::post_result> post(std::string_view request,
                                                          std::chrono::steady_clock::duration timeout) = 0;
    // Abandons what is in flight (post() ends connection_lost at once) and
    // closes the connection; the next post() opens a new one.
    virtual void abandon() = 0;
};

// Makes one sender per worker.
using sender_factory = std::function<std::unique_ptr<sender>()>;

// Senders over keep-alive TLS connections to `url`; `tls` outlives them.
sender_factory connection_senders(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                                  net::base_url url);

}  // namespace prospect::app
