// Certificates with the OpenSSL 3 API. EC P-256 rather than RSA: its
// handshakes cost a fraction of RSA-2048's, and benchmarks open many.
#include "prospect/sandbox/certificates.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace prospect::sandbox {
namespace {

template <auto F>
struct deleter {
    template <class T>
    void operator()(T* p) const { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO_free>>;
using bn_ptr = std::unique_ptr<BIGNUM, deleter<BN_free>>;

[[noreturn]] void fail(const char* what) {
    char buf[256] = "unknown error";
    if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    throw std::runtime_error(std::string("cannot make the sandbox certificate: ") + what + ": " + buf);
}

void check(int ok, const char* what) {
    if (ok <= 0) fail(what);
}

bool is_ip(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

void add_ext(X509* cert, X509V3_CTX& ctx, int nid, const std::string& value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) fail("extension");
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    check(ok, "extension");
}

// A fresh certificate for `key` named `cn`, not yet signed; its issuer is
// set by the caller.
x509_ptr new_certificate(EVP_PKEY* key, const char* cn) {
    x509_ptr cert(X509_new());
    if (!cert) fail("X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3), "version");
    bn_ptr serial(BN_new());
    check(serial && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "serial");
    if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) fail("serial");
    // An hour of slack for clocks that disagree a little.
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)) fail("notBefore");
    if (!X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600)) fail("notAfter");
    check(X509_set_pubkey(cert.get(), key), "public key");
    check(X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(cn), -1, -1, 0),
          "subject");
    return cert;
}

pkey_ptr new_key() {
    pkey_ptr key(EVP_EC_gen("P-256"));
    if (!key) fail("EC key");
    return key;
}

std::string pem_of(X509* cert) {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509(bio.get(), cert), "PEM");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, n);
}

std::string pem_of(EVP_PKEY* key) {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, n);
}

std::string read_whole(const std::string& path, const char* option) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    if (in) s << in.rdbuf();
    if (!in || s.str().empty())
        throw std::runtime_error(std::string(option) + " " + path + ": cannot read the file");
    return s.str();
}

}  // namespace

certificate_set make_throwaway_certificates(const std::vector<std::string>& hosts) {
    pkey_ptr ca_key = new_key();
    x509_ptr ca = new_certificate(ca_key.get(), "prospect-sandbox throwaway CA");
    check(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())), "issuer");
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, ca.get(), ca.get(), nullptr, nullptr, 0);
    add_ext(ca.get(), ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(ca.get(), ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(ca.get(), ctx, NID_subject_key_identifier, "hash");
    check(X509_sign(ca.get(), ca_key.get(), EVP_sha256()), "sign CA");

    pkey_ptr key = new_key();
    x509_ptr cert = new_certificate(key.get(), "prospect-sandbox");
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get())), "issuer");
    X509V3_set_ctx(&ctx, ca.get(), cert.get(), nullptr, nullptr, 0);
    std::string san;
    for (auto& h : hosts) {
        if (h.empty()) continue;
        if (!san.empty()) san += ',';
        san += (is_ip(h) ? "IP:" : "DNS:") + h;
    }
    add_ext(cert.get(), ctx, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), ctx, NID_key_usage, "critical,digitalSignature");
    add_ext(cert.get(), ctx, NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), ctx, NID_subject_key_identifier, "hash");
    add_ext(cert.get(), ctx, NID_authority_key_identifier, "keyid:always");
    if (!san.empty()) add_ext(cert.get(), ctx, NID_subject_alt_name, san);
    check(X509_sign(cert.get(), ca_key.get(), EVP_sha256()), "sign certificate");

    return {pem_of(ca.get()), pem_of(cert.get()), pem_of(key.get())};
}

certificate_set load_certificates(const std::string& cert_file, const std::string& key_file) {
    certificate_set out;
    out.cert_pem = read_whole(cert_file, "--cert");
    out.key_pem = read_whole(key_file, "--key");
    static constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
    auto last = out.cert_pem.rfind(begin);
    if (last == std::string::npos) throw std::runtime_error("--cert " + cert_file + ": no PEM certificate in it");
    out.ca_pem = out.cert_pem.substr(last);
    return out;
}

}  // namespace prospect::sandbox
