// Setting up and tearing down a tls_link, and the wording of OpenSSL
// failures; the byte moving is inline in the header (it is the hot path).
#include "tls_link.hpp"

#include <openssl/err.h>

#include <boost/asio/ssl/error.hpp>

#include <stdexcept>

namespace prospect::net {

namespace {
// Room for one whole TLS record (16 KiB of plaintext plus its overhead) in
// each direction of the BIO pair.
constexpr std::size_t tls_buffer_size = 17 * 1024;
}  // namespace

// The newest entry is the failure's: older ones may be left by other code on
// the thread (the embedded sandbox).
std::string take_openssl_error(std::string_view fallback) {
    unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) return std::string(fallback);
    return boost::system::error_code(static_cast<int>(code), boost::asio::error::get_ssl_category()).message();
}

tls_link::tls_link(SSL_CTX* ctx) : ssl_(SSL_new(ctx)) {
    BIO* inner = nullptr;
    if (!ssl_ || BIO_new_bio_pair(&inner, tls_buffer_size, &outer_, tls_buffer_size) != 1) {
        if (ssl_) SSL_free(ssl_);
        throw std::runtime_error("cannot set up a TLS connection: " + take_openssl_error("out of memory"));
    }
    SSL_set_bio(ssl_, inner, inner);  // the SSL object owns the inner end
    SSL_set_connect_state(ssl_);
}

tls_link::~tls_link() {
    SSL_free(ssl_);
    BIO_free(outer_);
}

}  // namespace prospect::net
