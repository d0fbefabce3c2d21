#include "prospect/net/tls_context.hpp"

#include <doctest/doctest.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

#include "support/files.hpp"

using namespace prospect::net;

namespace {

// A self-signed CA certificate (P-256, valid until 2126); only loaded, never used to sign.
constexpr std::string_view test_ca_pem = R"(
-----BEGIN CERTIFICATE-----
MIIBpjCCAUugAwIBAgIUVSEAs5Xvj0rQayWi43948vzEBZcwCgYIKoZIzj0EAwIw
JzElMCMGA1UEAwwccHJvc3BlY3QtaW1wb3J0IHVuaXQgdGVzdCBDQTAgFw0yNjEx
MjcwMDE5MzFaGA8yMTI2MTEwMzAwMTkzMVowJzElMCMGA1UEAwwccHJvc3BlY3Qt
aW1wb3J0IHVuaXQgdGVzdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDEy
uTgz1KQZe7Zp0DQubY5YwaVW3wx1P224NKm7cQLefFEHkmQPnTSbnbV8vevxPnY7
ZWiOhhMvASRVd1iRh2+jUzBRMB0GA1UdDgQWBBTzlsf2VerdBhr3xoPaoFnkMRXk
nDAfBgNVHSMEGDAWgBTzlsf2VerdBhr3xoPaoFnkMRXknDAPBgNVHRMBAf8EBTAD
AQH/MAoGCCqGSM49BAMCA0kAMEYCIQDAB0PAXA/dGZwVUKeYEiAsmGTTt63rpDEP
jW0fP0VKPwIhAL0PjCwi0EpeWVOneDd/UTAjClZBH95eT+u5zqeNFRY+
-----END CERTIFICATE-----
)";

std::string ca_file_refusal(const std::string& path) {
    try {
        make_tls_context({path});
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("TLS 1.2 at least, and the peer is always verified") {
    auto ctx = make_tls_context({});
    CHECK(SSL_CTX_get_min_proto_version(ctx.native_handle()) == TLS1_2_VERSION);
    CHECK((SSL_CTX_get_verify_mode(ctx.native_handle()) & SSL_VERIFY_PEER) != 0);
}

TEST_CASE("--ca-file adds to the trusted certificates") {
    prospect::test::temp_dir dir;
    auto path = dir / "ca.pem";
    prospect::test::write_file(path, test_ca_pem);
    auto ctx = make_tls_context({path});
    X509_STORE* store = SSL_CTX_get_cert_store(ctx.native_handle());
    bool found = false;
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
        X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i));
        if (!cert) continue;
        char name[256];
        X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
        found |= std::string(name).find("prospect-import unit test CA") != std::string::npos;
    }
    CHECK(found);
}

TEST_CASE("an unreadable or invalid --ca-file is a startup error naming the file") {
    prospect::test::temp_dir dir;
    auto missing = dir / "missing.pem";
    auto why = ca_file_refusal(missing);
    CHECK(why.find("--ca-file") != std::string::npos);
    CHECK(why.find(missing) != std::string::npos);
    CHECK(why.find("No such file") != std::string::npos);

    auto junk = dir / "junk.pem";
    prospect::test::write_file(junk, "this is not a certificate\n");
    why = ca_file_refusal(junk);
    CHECK(why.find(junk) != std::string::npos);
    CHECK(why.find("PEM") != std::string::npos);

    auto empty = dir / "empty.pem";
    prospect::test::write_file(empty, "");
    CHECK(ca_file_refusal(empty).find(empty) != std::string::npos);
}

TEST_CASE("each session gets SNI for names, and the name or address to verify") {
    auto ctx = make_tls_context({});
    SSL* by_name = SSL_new(ctx.native_handle());
    configure_tls_session(by_name, "api.example.com", false);
    CHECK(std::string(SSL_get_servername(by_name, TLSEXT_NAMETYPE_host_name)) == "api.example.com");
    const char* host = X509_VERIFY_PARAM_get0_host(SSL_get0_param(by_name), 0);
    REQUIRE(host != nullptr);
    CHECK(std::string(host) == "api.example.com");
    SSL_free(by_name);

    SSL* by_ip = SSL_new(ctx.native_handle());
    configure_tls_session(by_ip, "127.0.0.1", true);
    CHECK(SSL_get_servername(by_ip, TLSEXT_NAMETYPE_host_name) == nullptr);
    char* ip = X509_VERIFY_PARAM_get1_ip_asc(SSL_get0_param(by_ip));
    REQUIRE(ip != nullptr);
    CHECK(std::string(ip) == "127.0.0.1");
    OPENSSL_free(ip);
    SSL_free(by_ip);
}
