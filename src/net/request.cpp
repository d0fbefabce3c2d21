// Request rendering. Steady state allocates nothing: body_ and out_ keep
// their capacity, and only the body and Content-Length change per row.
#include "prospect/net/request.hpp"

#include <charconv>
#include <stdexcept>

#include "prospect/text/json_escape.hpp"

namespace prospect::net {
namespace {

// A header value must not carry CTL bytes (RFC 9110 field-value); CR and LF
// would let a crafted key file inject headers or a second request.
std::string_view header_value_problem(std::string_view v) {
    for (char ch : v) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '\r' || c == '\n') return "contains a line break (CR or LF)";
        if ((c < 0x20 && c != '\t') || c == 0x7f) return "contains a control character";
    }
    return {};
}

}  // namespace

void check_api_key(std::string_view key) {
    if (key.empty()) throw std::invalid_argument("the API key is empty");
    if (auto problem = header_value_problem(key); !problem.empty())
        throw std::invalid_argument("the API key " + std::string(problem) + " and cannot be sent in a header");
}

request_builder::request_builder(const request_params& params) {
    check_api_key(params.api_key);
    if (auto problem = header_value_problem(params.version); !problem.empty())
        throw std::invalid_argument("the program version " + std::string(problem));
    head_.append("POST ").append(params.url.target).append(" HTTP/1.1\r\n");
    head_.append("Host: ").append(params.url.host_header).append("\r\n");
    head_.append("X-API-Key: ").append(params.api_key).append("\r\n");
    head_.append("User-Agent: prospect-import/").append(params.version).append("\r\n");
    head_.append("Accept: application/json\r\n");
    head_.append("Content-Type: application/json\r\n");
    head_.append("Content-Length: ");
}

std::string_view request_builder::build(const prospect_fields& fields) {
    body_.clear();
    body_.append(R"({"prospectListId":)");
    text::append_json_string(body_, fields.prospect_list_id);
    body_.append(R"(,"prospectProfileUrl":)");
    text::append_json_string(body_, fields.prospect_profile_url);
    body_.append(R"(,"campaignId":)");
    text::append_json_string(body_, fields.campaign_id);
    body_.append(R"(,"moveDuplicatedProspect":)");
    body_.append(fields.move_duplicated_prospect ? "true}" : "false}");

    char length[24];
    auto end = std::to_chars(length, length + sizeof length, body_.size()).ptr;
    out_.clear();
    out_.append(head_).append(length, end).append("\r\n\r\n").append(body_);
    return out_;
}

}  // namespace prospect::net
