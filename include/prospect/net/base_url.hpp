// The API endpoint from --base-url: https only (the key must never travel in
// clear), host, port and the request target under an optional path prefix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace prospect::net {

inline constexpr std::string_view default_base_url = "https://api.goextrovert.com";

// Where the Add Prospect endpoint lives under the base URL's path.
inline constexpr std::string_view add_prospect_path = "/api/client/v1/prospects";

struct base_url {
    std::string host;           // DNS name (lower case) or IP literal, without IPv6 brackets
    std::uint16_t port = 443;   // TCP port
    std::string host_header;    // value of the Host header: host, bracketed if IPv6, ":port" unless 443
    std::string target;         // request target: path prefix + add_prospect_path
    bool host_is_ip = false;    // an IP literal: no SNI, the certificate must name the address
};

// Parses `https://host[:port][/path-prefix]`. Throws std::invalid_argument
// with a message naming --base-url for anything else (http://, user info,
// query, fragment, bad port, bad host).
base_url parse_base_url(std::string_view url);

}  // namespace prospect::net
