// Splitting --listen into host and port; the host is checked later, when
// the server binds it.
#include "prospect/sandbox/address.hpp"

#include <charconv>

namespace prospect::sandbox {

std::optional<host_port> parse_host_port(std::string_view s) {
    host_port out;
    std::string_view port;
    if (s.starts_with('[')) {
        auto close = s.find(']');
        if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') return std::nullopt;
        out.host = s.substr(1, close - 1);
        port = s.substr(close + 2);
    } else {
        auto colon = s.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        out.host = s.substr(0, colon);
        if (out.host.find(':') != std::string::npos) return std::nullopt;  // IPv6 needs brackets
        port = s.substr(colon + 1);
    }
    if (out.host.empty() || port.empty()) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value > 65535) return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
    return out;
}

std::string https_origin(std::string_view host, std::uint16_t port) {
    std::string out = "https://";
    bool v6 = host.find(':') != std::string_view::npos;
    if (v6) out += '[';
    out += host;
    if (v6) out += ']';
    out += ':';
    out += std::to_string(port);
    return out;
}

}  // namespace prospect::sandbox
