// One API response parsed with Beast's HTTP/1.1 parser (framing, chunked
// bodies, keep-alive, limits), keeping only what the importer uses in storage
// that lives across responses: Beast's response_parser allocates every header
// field and a new body for each response. Beast shows here because the
// connection feeds this parser the decrypted bytes itself (put); only net
// includes it.
#pragma once

#include <boost/beast/http/basic_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace prospect::net {

// Longest Retry-After value kept; a real one is a date or a few digits.
inline constexpr std::size_t max_retry_after = 64;

// What one response left. The strings keep their capacity from one response
// to the next.
struct response_parts {
    int status = 0;
    std::string reason;
    std::string retry_after;  // the first Retry-After field, cut to max_retry_after bytes; empty if none
    std::string body;             // the first keep_limit bytes of the body
    bool body_discarded = false;  // more body came than was kept
};

// Single use, as every Beast parser: make one per response (it allocates
// nothing itself). A body is kept up to `keep_limit` bytes and read on and
// dropped past that; one over `read_limit` bytes fails with
// http::error::body_limit, by when the status line is known.
class response_reader : public boost::beast::http::basic_parser<false> {
public:
    // Clears `out`, which then fills as the response is parsed.
    response_reader(response_parts& out, std::size_t keep_limit, std::uint64_t read_limit);

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}
    void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code& ec) override;
    std::size_t on_body_impl(string_view body, error_code& ec) override;
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
    void on_finish_impl(error_code&) override {}

    void keep(string_view body);

    response_parts& out_;
    std::size_t keep_limit_;
    bool retry_after_seen_ = false;
};

}  // namespace prospect::net
