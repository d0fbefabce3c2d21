// Bulk request rendering. Steady state allocates nothing: every buffer keeps
// its capacity, and a batch's URLs are escaped straight into the body.
#include "prospect/net/bulk_request.hpp"

#include <charconv>
#include <stdexcept>

#include "prospect/net/request.hpp"
#include "prospect/text/json_escape.hpp"

namespace prospect::net {
namespace {

// base_url keeps the single endpoint's target; the bulk path goes under the
// same prefix (a gateway's "/webgateway/api").
std::string_view path_prefix(const base_url& url) {
    std::string_view target = url.target;
    if (target.size() >= add_prospect_path.size() &&
        target.substr(target.size() - add_prospect_path.size()) == add_prospect_path)
        target.remove_suffix(add_prospect_path.size());
    return target;
}

void check_version(std::string_view version) {
    for (char ch : version) {
        auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            throw std::invalid_argument("the program version contains a control character");
    }
}

bool is_unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

// A validated list id is a UUID and passes unchanged; anything else cannot
// leave the path segment (no '/', '?', CR or LF in the request line).
void append_path_segment(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
}

}  // namespace

bulk_request_builder::bulk_request_builder(const bulk_request_params& params)
    : prefix_(path_prefix(params.url)), delete_if_inactive_(params.delete_if_inactive) {
    check_api_key(params.api_key);
    check_version(params.version);
    headers_.append("Host: ").append(params.url.host_header).append("\r\n");
    headers_.append("X-API-Key: ").append(params.api_key).append("\r\n");
    headers_.append("User-Agent: prospect-import/").append(params.version).append("\r\n");
    headers_.append("Accept: application/json\r\n");
    headers_.append("Content-Type: application/json\r\n");
    headers_.append("Content-Length: ");
}

void bulk_request_builder::begin(const bulk_fields& fields) {
    list_id_.assign(fields.list_id);
    move_ = fields.move_own_duplicated;
    urls_ = 0;
    body_.clear();
    body_.append(R"({"listId":)");
    text::append_json_string(body_, fields.list_id);
    body_.append(R"(,"campaignId":)");
    text::append_json_string(body_, fields.campaign_id);
    body_.append(R"(,"userUrls":[)");
}

void bulk_request_builder::add_url(std::string_view url) {
    if (urls_ > 0) body_.push_back(',');
    text::append_json_string(body_, url);
    ++urls_;
}

std::string_view bulk_request_builder::finish() {
    if (urls_ == 0) throw std::logic_error("a bulk request needs at least one URL");
    body_.append(R"(],"moveOwnDuplicated":)");
    body_.append(move_ ? "true" : "false");
    body_.append(R"(,"shouldBeDeletedIfInactive":)");
    body_.append(delete_if_inactive_ ? "true}" : "false}");

    char length[24];
    auto end = std::to_chars(length, length + sizeof length, body_.size()).ptr;
    out_.clear();
    out_.append("POST ").append(prefix_).append(bulk_path_head);
    append_path_segment(out_, list_id_);
    out_.append(bulk_path_tail).append(" HTTP/1.1\r\n");
    out_.append(headers_).append(length, end).append("\r\n\r\n").append(body_);
    return out_;
}

}  // namespace prospect::net
