// The bytes of one Add Prospect request (HTTP/1.1 head and JSON body), built
// into buffers that are reused from row to row. The constant part of the head
// (target, Host, key, User-Agent) is rendered once.
#pragma once

#include <string>
#include <string_view>

#include "prospect/net/base_url.hpp"

namespace prospect::net {

// Throws std::invalid_argument if `key` cannot be sent as a header value
// (empty, CR/LF or other control bytes: header injection from a key file).
// The message never contains the key.
void check_api_key(std::string_view key);

struct request_params {
    // The endpoint (Host header and request target).
    const base_url& url;
    // The X-API-Key value; checked with check_api_key.
    std::string_view api_key;
    // Program version for "User-Agent: prospect-import/<version>".
    std::string_view version;
};

// The four fields of the Add Prospect body, already validated and normalized.
struct prospect_fields {
    std::string_view prospect_list_id;
    std::string_view prospect_profile_url;
    std::string_view campaign_id;
    bool move_duplicated_prospect = false;
};

class request_builder {
public:
    // Throws std::invalid_argument for a key or version that cannot be a header value.
    explicit request_builder(const request_params& params);

    // The whole request; the view stays valid until the next build().
    std::string_view build(const prospect_fields& fields);

private:
    std::string head_;  // everything up to the Content-Length value
    std::string body_;
    std::string out_;
};

}  // namespace prospect::net
