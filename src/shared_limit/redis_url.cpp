// Parsing --shared-limit. Only the two forms the product documents are
// accepted; anything else is refused with the URL in the message rather than
// guessed at (a typo must not silently give each importer its own limit).
#include "prospect/shared_limit/redis_url.hpp"

#include <charconv>

#include "prospect/shared_limit/error.hpp"

namespace prospect::shared_limit {
namespace {

[[noreturn]] void refuse(std::string_view url, std::string_view why) {
    throw shared_limit_error("--shared-limit " + std::string(url) + ": " + std::string(why) +
                             " (expected redis://HOST:PORT[/DB] or unix:///PATH)");
}

template <class Int>
bool parse_number(std::string_view text, Int& out) {
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

int parse_db(std::string_view url, std::string_view text) {
    int db = 0;
    if (!parse_number(text, db) || db < 0) refuse(url, "the database must be a number from 0");
    return db;
}

redis_endpoint parse_tcp(std::string_view url, std::string_view rest) {
    redis_endpoint ep;
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (authority.find('@') != std::string_view::npos) refuse(url, "credentials in the URL are not supported");
    if (slash != std::string_view::npos) {
        auto path = rest.substr(slash + 1);
        if (!path.empty()) ep.db = parse_db(url, path);
    }
    std::string_view port_text;
    if (authority.starts_with('[')) {
        auto close = authority.find(']');
        if (close == std::string_view::npos) refuse(url, "unclosed [ in the host");
        ep.host = std::string(authority.substr(1, close - 1));
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') refuse(url, "unexpected text after the host");
            port_text = after.substr(1);
            if (port_text.empty()) refuse(url, "empty port");
        }
    } else {
        auto colon = authority.find(':');
        ep.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) refuse(url, "empty port");
        }
    }
    if (ep.host.empty()) refuse(url, "no host");
    if (!port_text.empty()) {
        unsigned port = 0;
        if (!parse_number(port_text, port) || port == 0 || port > 65535) refuse(url, "the port must be 1 to 65535");
        ep.port = static_cast<std::uint16_t>(port);
    }
    return ep;
}

redis_endpoint parse_unix(std::string_view url, std::string_view rest) {
    redis_endpoint ep;
    auto query = rest.find('?');
    auto path = rest.substr(0, query);
    if (!path.starts_with('/')) refuse(url, "the socket path must be absolute (unix:///PATH)");
    if (query != std::string_view::npos) {
        auto q = rest.substr(query + 1);
        if (!q.starts_with("db=")) refuse(url, "the only query accepted is ?db=N");
        ep.db = parse_db(url, q.substr(3));
    }
    ep.host.clear();
    ep.socket_path = std::string(path);
    return ep;
}

}  // namespace

redis_endpoint parse_redis_url(std::string_view url) {
    if (url.starts_with("redis://")) return parse_tcp(url, url.substr(8));
    if (url.starts_with("unix://")) return parse_unix(url, url.substr(7));
    refuse(url, "unsupported scheme");
}

}  // namespace prospect::shared_limit
