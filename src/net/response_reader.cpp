// The callbacks of response_reader: Beast has already checked the framing
// and the read limit; these only copy what the importer keeps.
#include "prospect/net/response_reader.hpp"

#include <algorithm>

namespace prospect::net {

namespace http = boost::beast::http;

response_reader::response_reader(response_parts& out, std::size_t keep_limit, std::uint64_t read_limit)
    : out_(out), keep_limit_(keep_limit) {
    this->body_limit(read_limit);
    out_.status = 0;
    out_.body_discarded = false;
    out_.reason.clear();
    out_.retry_after.clear();
    out_.body.clear();
}

void response_reader::on_response_impl(int code, string_view reason, int, error_code&) {
    out_.status = code;
    out_.reason.assign(reason.data(), reason.size());
}

void response_reader::on_field_impl(http::field name, string_view, string_view value, error_code&) {
    if (name != http::field::retry_after || retry_after_seen_) return;
    retry_after_seen_ = true;
    out_.retry_after.assign(value.data(), std::min(value.size(), max_retry_after));
}

void response_reader::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) {
    if (content_length) out_.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*content_length, keep_limit_)));
}

void response_reader::keep(string_view body) {
    std::size_t room = keep_limit_ - out_.body.size();
    if (body.size() > room) {
        out_.body_discarded = true;
        body = body.substr(0, room);
    }
    out_.body.append(body.data(), body.size());
}

std::size_t response_reader::on_body_impl(string_view body, error_code&) {
    keep(body);
    return body.size();
}

std::size_t response_reader::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
    keep(body);
    return body.size();
}

}  // namespace prospect::net
