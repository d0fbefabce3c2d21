// A deliberately narrow URL grammar: the only thing --base-url may vary is
// where the API lives, never how it is reached (always TLS, no credentials in
// the URL).
#include "prospect/net/base_url.hpp"

#include "prospect/text/ascii.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace prospect::net {
namespace {

[[noreturn]] void refuse(std::string_view url, std::string_view why) {
    throw std::invalid_argument("--base-url '" + std::string(url) + "': " + std::string(why));
}

bool is_dns_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_';
}

// RFC 3986 pchar plus '/', without '%'-decoding: the prefix is sent as written.
bool is_path_char(char c) {
    if (is_dns_char(c) || c == '~' || c == '/' || c == '%' || c == ':' || c == '@') return true;
    switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case ';': case '=':
        return true;
    default:
        return false;
    }
}

bool is_ip_literal(const std::string& host, int family) {
    unsigned char buf[16];
    return ::inet_pton(family, host.c_str(), buf) == 1;
}

}  // namespace

base_url parse_base_url(std::string_view url) {
    std::string_view rest;
    if (text::istarts_with(url, "https://")) {
        rest = url.substr(8);
    } else if (text::istarts_with(url, "http://")) {
        refuse(url, "plain http:// is refused, the API key must not travel in clear; use https://");
    } else {
        refuse(url, "expected https://host[:port][/path-prefix]");
    }
    if (rest.find_first_of("?#") != std::string_view::npos) refuse(url, "a query or fragment is not allowed");

    std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (authority.find('@') != std::string_view::npos)
        refuse(url, "user information (user@host) is not allowed; the key comes from --api-key-file");

    base_url out;
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) refuse(url, "unterminated IPv6 address");
        out.host = std::string(authority.substr(1, close - 1));
        if (!is_ip_literal(out.host, AF_INET6)) refuse(url, "invalid IPv6 address");
        out.host_is_ip = true;
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') refuse(url, "unexpected characters after the IPv6 address");
            port_text = after.substr(1);
            if (port_text.empty()) refuse(url, "empty port");
        }
    } else {
        std::size_t colon = authority.find(':');
        std::string_view host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) refuse(url, "empty port");
        }
        if (host.empty()) refuse(url, "missing host");
        for (char c : host)
            if (!is_dns_char(c)) refuse(url, "invalid character in host name");
        if (host.front() == '.' || host.front() == '-') refuse(url, "invalid host name");
        out.host.reserve(host.size());
        for (char c : host) out.host.push_back(text::ascii_lower(c));
        out.host_is_ip = is_ip_literal(out.host, AF_INET);
    }

    if (!port_text.empty()) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
            refuse(url, "port must be a number from 1 to 65535");
        out.port = static_cast<std::uint16_t>(value);
    }

    for (char c : path)
        if (!is_path_char(c)) refuse(url, "invalid character in path (percent-encode it)");
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);

    bool bracket = out.host.find(':') != std::string::npos;
    out.host_header = bracket ? "[" + out.host + "]" : out.host;
    if (out.port != 443) out.host_header += ":" + std::to_string(out.port);
    out.target.reserve(path.size() + add_prospect_path.size());
    out.target.append(path).append(add_prospect_path);
    return out;
}

}  // namespace prospect::net
