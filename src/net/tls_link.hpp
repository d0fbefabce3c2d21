// One TLS connection's OpenSSL state, private to the net layer: the SSL
// object reads and writes the inner end of a BIO pair, and api_connection
// moves ciphertext between the outer end and its socket (design.md, "The
// connection's hot path", says why not asio::ssl::stream or SSL_set_fd).
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>

#include <string>
#include <string_view>

namespace prospect::net {

// What OpenSSL's error queue says about the failure just seen, as Asio would
// word it ("certificate verify failed (SSL routines)"); empties the queue so
// that the next operation starts clean. `fallback` when the queue is empty.
std::string take_openssl_error(std::string_view fallback);

class tls_link {
public:
    explicit tls_link(SSL_CTX* ctx);
    ~tls_link();
    tls_link(const tls_link&) = delete;
    tls_link& operator=(const tls_link&) = delete;

    SSL* ssl() const { return ssl_; }
    // Ciphertext OpenSSL has produced and the socket has not taken yet.
    std::string_view output() const {
        char* p = nullptr;
        int n = BIO_nread0(outer_, &p);
        return n > 0 ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
    }
    void consume_output(std::size_t n) {
        char* p = nullptr;
        BIO_nread(outer_, &p, static_cast<int>(n));
    }
    // Contiguous room for ciphertext from the socket.
    boost::asio::mutable_buffer input_room() const {
        char* p = nullptr;
        int n = BIO_nwrite0(outer_, &p);
        return n > 0 ? boost::asio::buffer(p, static_cast<std::size_t>(n)) : boost::asio::mutable_buffer();
    }
    void commit_input(std::size_t n) {
        char* p = nullptr;
        BIO_nwrite(outer_, &p, static_cast<int>(n));
    }
    // Received ciphertext, or decrypted plaintext not yet read out. Also true
    // for part of a record, which SSL_read cannot return yet.
    bool has_input() const { return BIO_ctrl_pending(SSL_get_rbio(ssl_)) != 0 || SSL_has_pending(ssl_) != 0; }

private:
    SSL* ssl_;
    BIO* outer_ = nullptr;
};

}  // namespace prospect::net
