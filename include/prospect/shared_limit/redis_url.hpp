// Where Redis is, from --shared-limit: `redis://HOST:PORT[/DB]` (host name,
// IPv4, or [IPv6]; port optional, 6379) or `unix:///PATH` (a socket file;
// `?db=N` selects a database). Pure: no resolution, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace prospect::shared_limit {

struct redis_endpoint {
    std::string host;             // TCP: name or address (IPv6 without brackets); empty for a socket
    std::uint16_t port = 6379;    // TCP port
    std::string socket_path;      // unix: the socket file; empty for TCP
    int db = 0;                   // SELECT this database after connecting (0: the default)
    bool is_unix() const noexcept { return !socket_path.empty(); }
};

// Throws shared_limit_error naming --shared-limit and the URL for anything
// else (another scheme, credentials, a bad port or database number).
redis_endpoint parse_redis_url(std::string_view url);

}  // namespace prospect::shared_limit
