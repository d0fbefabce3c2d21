// The client TLS configuration: TLS 1.2 or later, the peer's certificate
// verified against the system store plus --ca-file, and per connection the
// SNI name and the host name (or IP address) the certificate must match.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/ssl/context.hpp>

namespace prospect::net {

struct tls_params {
    // Extra trusted CA certificates (PEM); empty: the system store only.
    std::string ca_file;
};

// Throws std::runtime_error naming the file if --ca-file cannot be read or
// holds no usable certificate.
boost::asio::ssl::context make_tls_context(const tls_params& params);

// Sets SNI (for DNS names; RFC 6066 forbids IP literals there) and the name
// or address the peer certificate must match. Call on each new connection's
// SSL object before the handshake. Throws std::runtime_error if OpenSSL refuses.
void configure_tls_session(SSL* ssl, std::string_view host, bool host_is_ip);

}  // namespace prospect::net
