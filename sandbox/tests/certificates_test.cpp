#include "prospect/sandbox/certificates.hpp"

#include <doctest/doctest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

using namespace prospect::sandbox;

namespace {
std::unique_ptr<X509, decltype(&X509_free)> read_cert(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    return {PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free};
}

// Verifies `leaf` against `ca` alone, for `host` (a name or an IP address).
bool verifies(const std::string& ca_pem, const std::string& leaf_pem, const char* host, bool ip) {
    auto ca = read_cert(ca_pem);
    auto leaf = read_cert(leaf_pem);
    REQUIRE(ca);
    REQUIRE(leaf);
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca.get());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (ip) X509_VERIFY_PARAM_set1_ip_asc(param, host);
    else X509_VERIFY_PARAM_set1_host(param, host, 0);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    return X509_verify_cert(ctx.get()) == 1;
}
}  // namespace

TEST_CASE("the throwaway CA verifies the server certificate for its hosts only") {
    auto certs = make_throwaway_certificates({"localhost", "127.0.0.1", "::1", "sandbox.test"});
    CHECK(certs.key_pem.find("PRIVATE KEY") != std::string::npos);
    CHECK(verifies(certs.ca_pem, certs.cert_pem, "localhost", false));
    CHECK(verifies(certs.ca_pem, certs.cert_pem, "sandbox.test", false));
    CHECK(verifies(certs.ca_pem, certs.cert_pem, "127.0.0.1", true));
    CHECK(verifies(certs.ca_pem, certs.cert_pem, "::1", true));
    CHECK_FALSE(verifies(certs.ca_pem, certs.cert_pem, "example.com", false));
    CHECK_FALSE(verifies(certs.ca_pem, certs.cert_pem, "10.0.0.1", true));
}

TEST_CASE("each start makes a new CA, which does not verify another's certificate") {
    auto a = make_throwaway_certificates({"localhost"});
    auto b = make_throwaway_certificates({"localhost"});
    CHECK(a.ca_pem != b.ca_pem);
    CHECK_FALSE(verifies(a.ca_pem, b.cert_pem, "localhost", false));
}

TEST_CASE("unreadable certificate files are named") {
    try {
        load_certificates("/nonexistent/cert.pem", "/nonexistent/key.pem");
        FAIL("no exception");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()).find("--cert /nonexistent/cert.pem") != std::string::npos);
    }
}
