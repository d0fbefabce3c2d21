// The real sender: a thin adapter over net::api_connection.
#include "prospect/app/sender.hpp"

namespace prospect::app {

namespace {

class connection_sender final : public sender {
public:
    connection_sender(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls, const net::base_url& url)
        : conn_(std::move(executor), tls, url) {}
    ~connection_sender() override { conn_.close(); }

    boost::asio::awaitable<net::post_result> post(std::string_view request,
                                                  std::chrono::steady_clock::duration timeout) override {
        return conn_.post(request, timeout);
    }
    void abandon() override { conn_.close(); }

private:
    net::api_connection conn_;
};

}  // namespace

sender_factory connection_senders(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                                  net::base_url url) {
    return [executor = std::move(executor), &tls, url = std::move(url)] {
        return std::make_unique<connection_sender>(executor, tls, url);
    };
}

}  // namespace prospect::app
