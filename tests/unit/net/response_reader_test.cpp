#include "prospect/net/response_reader.hpp"

#include <doctest/doctest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <string>
#include <string_view>

using namespace prospect::net;
namespace http = boost::beast::http;

namespace {
// Feeds `bytes` to a fresh reader over `parts`, as one buffer; the error, if any.
boost::beast::error_code feed(response_parts& parts, std::string_view bytes, bool* keep_alive = nullptr,
                              std::size_t keep_limit = 1 << 20, std::uint64_t read_limit = 64 << 20) {
    response_reader reader(parts, keep_limit, read_limit);
    reader.eager(true);
    boost::beast::error_code ec;
    reader.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (!ec && !reader.is_done()) ec = http::error::need_more;
    if (keep_alive && !ec) *keep_alive = reader.keep_alive();
    return ec;
}
}  // namespace

TEST_CASE("a response leaves its status, reason, Retry-After and body") {
    response_parts parts;
    bool keep_alive = false;
    CHECK_FALSE(feed(parts,
                     "HTTP/1.1 429 Too Many Requests\r\nServer: x\r\nRetry-After: 7\r\nRetry-After: 9\r\n"
                     "Content-Length: 5\r\n\r\nslow!",
                     &keep_alive));
    CHECK(parts.status == 429);
    CHECK(parts.reason == "Too Many Requests");
    CHECK(parts.retry_after == "7");
    CHECK(parts.body == "slow!");
    CHECK(keep_alive);
}

TEST_CASE("the next response on the same storage keeps nothing of the previous one") {
    response_parts parts;
    CHECK_FALSE(feed(parts, "HTTP/1.1 503 Busy\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nwait"));
    bool keep_alive = true;
    CHECK_FALSE(feed(parts, "HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", &keep_alive));
    CHECK(parts.status == 201);
    CHECK(parts.reason == "Created");
    CHECK(parts.retry_after.empty());
    CHECK(parts.body.empty());
    CHECK_FALSE(keep_alive);
}

TEST_CASE("a chunked body is joined") {
    response_parts parts;
    CHECK_FALSE(feed(parts,
                     "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n"));
    CHECK(parts.body == "{\"a\":1}");
}

TEST_CASE("a long Retry-After is cut") {
    response_parts parts;
    CHECK_FALSE(
        feed(parts, "HTTP/1.1 429 Slow\r\nRetry-After: " + std::string(100, '1') + "\r\nContent-Length: 0\r\n\r\n"));
    CHECK(parts.retry_after == std::string(max_retry_after, '1'));
}

TEST_CASE("a body over the keep limit is read on and marked discarded, whether its length is declared or chunked") {
    response_parts parts;
    CHECK_FALSE(feed(parts, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n01234567890", nullptr, 10));
    CHECK(parts.body == "0123456789");
    CHECK(parts.body_discarded);
    CHECK_FALSE(feed(parts, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n67890\r\n0\r\n\r\n",
                     nullptr, 10));
    CHECK(parts.body == "0123456789");
    CHECK(parts.body_discarded);
    CHECK_FALSE(feed(parts, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", nullptr, 10));
    CHECK_FALSE(parts.body_discarded);
}

TEST_CASE("a body over the read limit is refused once the status is known") {
    response_parts parts;
    CHECK(feed(parts, "HTTP/1.1 201 Created\r\nContent-Length: 21\r\n\r\n", nullptr, 10, 20) == http::error::body_limit);
    CHECK(parts.status == 201);
    CHECK(feed(parts, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n15\r\n", nullptr, 10, 20) ==
          http::error::body_limit);
    CHECK(parts.status == 200);
}

TEST_CASE("an interim answer is complete at its header, and what follows is left for the next reader") {
    response_parts parts;
    std::string_view bytes = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
    response_reader reader(parts, 10, 20);
    reader.eager(true);
    boost::beast::error_code ec;
    auto used = reader.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    CHECK_FALSE(ec);
    CHECK(reader.is_done());
    CHECK(parts.status == 100);
    CHECK(used == 25);
    CHECK_FALSE(feed(parts, bytes.substr(used)));
    CHECK(parts.status == 201);
}
