// HOST:PORT as --listen takes it, and the https:// origin the sandbox
// prints for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prospect::sandbox {

struct host_port {
    std::string host;  // without brackets, also for IPv6
    std::uint16_t port = 0;
};

// "127.0.0.1:0", "localhost:8443", "[::1]:443"; nullopt if malformed.
std::optional<host_port> parse_host_port(std::string_view s);

// https://host:port, brackets around an IPv6 host.
std::string https_origin(std::string_view host, std::uint16_t port);

}  // namespace prospect::sandbox
