// Certificate verification is never optional here: there is no option to turn
// it off, and a failure is reported as such (see api_connection) so that the
// run stops instead of retrying.
#include "prospect/net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace prospect::net {
namespace {

std::string openssl_error() {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "no usable certificate";
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return buf;
}

}  // namespace

boost::asio::ssl::context make_tls_context(const tls_params& params) {
    namespace ssl = boost::asio::ssl;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1)
        throw std::runtime_error("cannot require TLS 1.2: " + openssl_error());
    ctx.set_verify_mode(ssl::verify_peer);

    // A host without a system store (a bare container) can still verify
    // against --ca-file, so a missing default store is not an error here;
    // the handshake will say so if nothing trusts the server.
    boost::system::error_code ignored;
    ctx.set_default_verify_paths(ignored);
    ERR_clear_error();

    if (!params.ca_file.empty()) {
        const std::string& path = params.ca_file;
        std::ifstream probe(path, std::ios::binary);
        if (!probe) throw std::runtime_error("--ca-file '" + path + "': cannot read: " + std::strerror(errno));
        if (SSL_CTX_load_verify_locations(ctx.native_handle(), path.c_str(), nullptr) != 1)
            throw std::runtime_error("--ca-file '" + path +
                                     "': not a PEM file of CA certificates (" + openssl_error() + ")");
    }
    return ctx;
}

void configure_tls_session(SSL* ssl, std::string_view host, bool host_is_ip) {
    std::string name(host);
    if (!host_is_ip && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1)
        throw std::runtime_error("cannot set TLS SNI to " + name + ": " + openssl_error());
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    int ok = host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
    if (ok != 1) throw std::runtime_error("cannot set the TLS peer name " + name + ": " + openssl_error());
    if (!host_is_ip) X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
}

}  // namespace prospect::net
