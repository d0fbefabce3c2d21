// Secrets and trust end to end: the API key leaves the importer only in its
// X-API-Key header (never in stdout, stderr, report, journal, lock or metrics,
// whatever goes wrong), a key file others can read is warned about or refused
// with --strict, and a server certificate that has expired or names another
// host stops the run with exit 3 before any request is sent.
#include "import_support.hpp"

#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <random>
#include <stdexcept>
#include <sys/stat.h>

using namespace prospect::test;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// "k3y-" and 24 random hex digits: a string no output could hold by chance.
std::string distinctive_key() {
    std::random_device rd;
    std::string key = "k3y-";
    for (int i = 0; i < 3; ++i) key += fmt::format("{:08x}", rd());
    return key;
}

// prospect-import with the given options after --campaign/--list/--rate, with
// EXTROVERT_API_KEY set to `env_key` (removed when empty).
run_result run_importer(const std::vector<std::string>& args, const std::string& env_key) {
    std::vector<std::string> argv = {PROSPECT_IMPORT_BIN,  "--campaign", std::string(campaign_1),
                                     "--list", std::string(list_1), "--rate", "2000"};
    argv.insert(argv.end(), args.begin(), args.end());
    run_options options;
    options.unset.push_back("EXTROVERT_API_KEY");
    if (!env_key.empty()) options.env.push_back("EXTROVERT_API_KEY=" + env_key);
    return run(argv, options);
}

std::string write_leads(const temp_dir& dir, std::size_t n) {
    auto path = dir / "leads.csv";
    write_file(path, lead_rows(n));
    return path;
}

std::string write_key_file(const temp_dir& dir, const std::string& content, mode_t mode) {
    auto path = dir / "api.key";
    write_file(path, content);
    std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode));
    return path;
}

// Neither the key nor its random part is in the run's output or in any file
// under `dir` but the key file; `must_exist` names files (relative to dir)
// that the run must have written, so that the scan covers them.
void check_no_key(const std::string& key, const run_result& r, const temp_dir& dir,
                  const std::vector<std::string>& must_exist = {}) {
    const std::string secret = key.substr(4);
    CHECK_FALSE(contains(r.out, secret));
    CHECK_FALSE(contains(r.err, secret));
    for (const auto& name : must_exist) CHECK_MESSAGE(std::filesystem::exists(dir / name), name);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
        if (!entry.is_regular_file() || entry.path().filename() == "api.key") continue;
        auto content = read_file(entry.path());
        CHECK_MESSAGE(!contains(content, secret), entry.path().string());
    }
}

std::size_t count_outcome(const std::vector<report_row>& rows, const std::string& outcome) {
    std::size_t n = 0;
    for (const auto& r : rows) n += r.outcome == outcome;
    return n;
}

template <auto F>
struct openssl_free {
    template <class T>
    void operator()(T* p) const { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_free<EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_free<X509_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_free<BIO_free_all>>;
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, openssl_free<SSL_CTX_free>>;

void ok(bool good, const char* what) {
    if (!good) {
        char buf[256] = "unknown error";
        if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
        throw std::runtime_error(std::string("test certificate: ") + what + ": " + buf);
    }
}

std::string pem_of(X509* cert) {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    ok(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* key) {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    ok(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "key PEM");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// Valid from now + `from` to now + `to` seconds, for `key`, named `cn`, with
// the given extensions (name, value in openssl.cnf syntax), signed by
// `issuer_key` under `issuer` (itself when null).
x509_ptr certificate(EVP_PKEY* key, const char* cn, long from, long to,
                     const std::vector<std::pair<int, std::string>>& extensions, X509* issuer,
                     EVP_PKEY* issuer_key) {
    static long serial = 1;
    x509_ptr cert(X509_new());
    ok(cert && X509_set_version(cert.get(), X509_VERSION_3) == 1, "version");
    ok(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial) == 1, "serial");
    ok(X509_gmtime_adj(X509_getm_notBefore(cert.get()), from) != nullptr, "notBefore");
    ok(X509_gmtime_adj(X509_getm_notAfter(cert.get()), to) != nullptr, "notAfter");
    ok(X509_set_pubkey(cert.get(), key) == 1, "public key");
    ok(X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(cn), -1, -1, 0) == 1,
       "subject");
    X509* signer = issuer ? issuer : cert.get();
    ok(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
        ok(ext != nullptr, "extension");
        int added = X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
        ok(added == 1, "extension");
    }
    ok(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "sign");
    return cert;
}

constexpr long day = 24 * 3600;

// A CA valid today and a server certificate it signs for `subject_alt_name`,
// valid from now + `from` to now + `to` seconds, as files for the sandbox's
// --cert/--key and the importer's --ca-file.
struct server_identity {
    std::string ca_file, cert_file, key_file;
};
server_identity make_identity(const temp_dir& dir, const std::string& subject_alt_name, long from, long to) {
    pkey_ptr ca_key(EVP_EC_gen("P-256"));
    pkey_ptr server_key(EVP_EC_gen("P-256"));
    ok(ca_key && server_key, "EC key");
    auto ca = certificate(ca_key.get(), "secrets test CA", -day, day,
                          {{NID_basic_constraints, "critical,CA:TRUE"},
                           {NID_key_usage, "critical,keyCertSign,cRLSign"}},
                          nullptr, nullptr);
    auto leaf = certificate(server_key.get(), "secrets test server", from, to,
                            {{NID_basic_constraints, "CA:FALSE"}, {NID_subject_alt_name, subject_alt_name}},
                            ca.get(), ca_key.get());
    server_identity id{dir / "ca.pem", dir / "server.pem", dir / "server.key"};
    write_file(id.ca_file, pem_of(ca.get()));
    write_file(id.cert_file, pem_of(leaf.get()) + pem_of(ca.get()));
    write_file(id.key_file, pem_of(server_key.get()));
    return id;
}

// GET /_sandbox/stats's request count over TLS without verifying the
// certificate: the only way to ask a sandbox whose certificate is meant to fail.
long requests_unverified(const sandbox_process& s) {
    ssl_ctx_ptr ctx(SSL_CTX_new(TLS_client_method()));
    ok(ctx != nullptr, "SSL_CTX");
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    bio_ptr bio(BIO_new_ssl_connect(ctx.get()));
    ok(bio != nullptr, "BIO");
    BIO_set_conn_hostname(bio.get(), (s.host + ":" + s.port).c_str());
    ok(BIO_do_connect(bio.get()) == 1, "connect");
    const std::string request = "GET /_sandbox/stats HTTP/1.1\r\nHost: " + s.host + "\r\nConnection: close\r\n\r\n";
    std::size_t written = 0;
    ok(BIO_write_ex(bio.get(), request.data(), request.size(), &written) == 1 && written == request.size(), "write");
    std::string reply;
    char buf[4096];
    std::size_t n = 0;
    while (BIO_read_ex(bio.get(), buf, sizeof buf, &n) == 1) reply.append(buf, n);
    auto at = reply.find("\"requests\":");
    if (!contains(reply, " 200 ") || at == std::string::npos)
        throw std::runtime_error("GET /_sandbox/stats without verification: " + reply);
    return std::stol(reply.substr(at + 11));
}

}  // namespace

TEST_CASE("an accepted key through faults, --verbose and --metrics-file appears in no output and no file") {
    auto key = distinctive_key();
    sandbox_process sandbox({"--api-key", key, "--fail-rate", "0.2", "--drop-rate", "0.05", "--keepalive-requests",
                             "3", "--rate", "300", "--burst", "5", "--seed", "11"});
    temp_dir dir;
    auto input = write_leads(dir, 60);
    auto r = run_importer({"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--verbose", "--max-retries",
                           "10", "--metrics-file", dir / "metrics.prom", input},
                          key);
    INFO(r.err);
    CHECK(r.status == 0);
    auto s = stats(sandbox);
    CHECK(s.by_status[201] == 60);
    CHECK(s.by_status[429] + s.by_status[500] + s.by_status[502] + s.by_status[503] > 0);
    check_no_key(key, r, dir,
                 {"leads.csv.report.csv", "leads.csv.report.csv.journal", "leads.csv.report.csv.journal.lock",
                  "metrics.prom"});
}

TEST_CASE("a refused key (401) stops the run with exit 3 and appears nowhere") {
    auto key = distinctive_key();
    sandbox_process sandbox({"--api-key", "the-other-key"});
    temp_dir dir;
    auto input = write_leads(dir, 20);
    auto r = run_importer({"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--verbose", "--metrics-file",
                           dir / "metrics.prom", input},
                          key);
    INFO(r.err);
    CHECK(r.status == 3);
    CHECK(stats(sandbox).by_status[401] >= 1);
    auto rows = read_report(input + ".report.csv");
    CHECK(rows.size() == 20);
    CHECK(count_outcome(rows, "added") == 0);
    check_no_key(key, r, dir, {"leads.csv.report.csv", "leads.csv.report.csv.journal", "metrics.prom"});
}

TEST_CASE("an untrusted certificate (no --ca-file) stops the run with exit 3 and the key appears nowhere") {
    auto key = distinctive_key();
    sandbox_process sandbox({"--api-key", key});
    temp_dir dir;
    auto input = write_leads(dir, 10);
    auto r = run_importer({"--base-url", sandbox.url, "--verbose", "--metrics-file", dir / "metrics.prom", input},
                          key);
    INFO(r.err);
    CHECK(r.status == 3);
    CHECK(contains(r.err, "certificate"));
    CHECK(stats(sandbox).requests == 0);
    check_no_key(key, r, dir, {"leads.csv.report.csv", "metrics.prom"});
}

TEST_CASE("bad or unreachable base URLs: the key is in no message") {
    auto key = distinctive_key();
    temp_dir dir;
    auto input = write_leads(dir, 3);
    std::string closed_port;
    {
        sandbox_process gone;
        closed_port = gone.port;
    }
    struct attempt {
        std::string url;
        int status;
    };
    // Not a structured binding: clang 14 cannot capture one (CAPTURE is a lambda).
    for (const auto& a : std::vector<attempt>{{"ftp://127.0.0.1/", 2},
                                              {"https://", 2},
                                              {"https://127.0.0.1:99999", 2},
                                              {"not a url", 2},
                                              {"https://127.0.0.1:" + closed_port, 75}}) {
        CAPTURE(a.url);
        auto r = run_importer({"--base-url", a.url, "--verbose", "--max-retries", "0", "--timeout", "2", "--restart",
                               input},
                              key);
        INFO(r.err);
        CHECK(r.status == a.status);
        CHECK_FALSE(r.err.empty());
        check_no_key(key, r, dir);
    }
}

TEST_CASE("a key holding a control character is refused (exit 2) naming where it came from, not the key") {
    auto key = distinctive_key();
    const std::string bad = key.substr(0, 12) + '\x01' + key.substr(12);
    sandbox_process sandbox;
    temp_dir dir;
    auto input = write_leads(dir, 3);
    auto key_file = write_key_file(dir, bad + "\n", 0600);
    struct source {
        std::vector<std::string> args;
        std::string env, named;
    };
    for (const auto& s : std::vector<source>{{{}, bad, "EXTROVERT_API_KEY"}, {{"--api-key-file", key_file}, "", key_file}}) {
        CAPTURE(s.named);
        std::vector<std::string> all = {"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--verbose"};
        all.insert(all.end(), s.args.begin(), s.args.end());
        all.push_back(input);
        auto r = run_importer(all, s.env);
        INFO(r.err);
        CHECK(r.status == 2);
        CHECK(contains(r.err, s.named));
        CHECK(contains(r.err, "control character"));
        CHECK_FALSE(contains(r.err, key.substr(0, 12)));
        CHECK_FALSE(contains(r.err, key.substr(12)));
        check_no_key(key, r, dir);
    }
    CHECK(stats(sandbox).requests == 0);
}

TEST_CASE("a key file's trailing newline is not part of the key, and the key appears nowhere") {
    auto key = distinctive_key();
    sandbox_process sandbox({"--api-key", key});
    temp_dir dir;
    auto input = write_leads(dir, 5);
    for (const char* ending : {"\n", "\r\n", "  \n\n"}) {
        auto key_file = write_key_file(dir, key + ending, 0600);
        auto r = run_importer({"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--api-key-file", key_file,
                               "--strict", "--restart", input},
                              "");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK_FALSE(contains(r.err, "warning"));
        check_no_key(key, r, dir, {"leads.csv.report.csv", "leads.csv.report.csv.journal"});
    }
    auto s = stats(sandbox);
    CHECK(s.by_status[201] == 15);
    // The unverified reader used by the certificate tests counts what stats() counts.
    CHECK(requests_unverified(sandbox) == s.requests);
}

TEST_CASE("a key file group or others can read or write draws a warning naming the file, not the key") {
    auto key = distinctive_key();
    sandbox_process sandbox({"--api-key", key});
    temp_dir dir;
    auto input = write_leads(dir, 4);
    for (mode_t mode : {0644, 0604, 0620, 0660}) {
        CAPTURE(mode);
        auto key_file = write_key_file(dir, key + "\n", mode);
        auto r = run_importer({"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--api-key-file", key_file,
                               "--restart", "--quiet", input},
                              "");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(contains(r.err, "warning"));
        CHECK(contains(r.err, key_file));
        CHECK(contains(r.err, "chmod 600"));
        CHECK(contains(r.err, fmt::format("{:04o}", mode)));
        check_no_key(key, r, dir);
    }
    CHECK(stats(sandbox).by_status[201] == 16);
}

TEST_CASE("--strict refuses a key file group or others can read or write: exit 2, nothing sent") {
    auto key = distinctive_key();
    sandbox_process sandbox({"--api-key", key});
    temp_dir dir;
    auto input = write_leads(dir, 4);
    for (mode_t mode : {0644, 0640, 0602}) {
        CAPTURE(mode);
        auto key_file = write_key_file(dir, key + "\n", mode);
        auto r = run_importer({"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--api-key-file", key_file,
                               "--strict", input},
                              "");
        INFO(r.err);
        CHECK(r.status == 2);
        CHECK(contains(r.err, key_file));
        CHECK(contains(r.err, "chmod 600"));
        CHECK(contains(r.err, "--strict"));
        check_no_key(key, r, dir);
    }
    CHECK(stats(sandbox).requests == 0);
    // Owner-only modes pass --strict.
    for (mode_t mode : {0600, 0400}) {
        CAPTURE(mode);
        auto key_file = write_key_file(dir, key + "\n", mode);
        auto r = run_importer({"--base-url", sandbox.url, "--ca-file", sandbox.ca_file, "--api-key-file", key_file,
                               "--strict", "--restart", input},
                              "");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK_FALSE(contains(r.err, "warning"));
    }
    CHECK(stats(sandbox).by_status[201] == 8);
}

TEST_CASE("an expired certificate signed by a trusted CA is refused: exit 3, no request, report complete") {
    auto key = distinctive_key();
    temp_dir certs;
    // The same CA and name, once valid and once expired: the expiry is what makes the difference.
    for (bool expired : {false, true}) {
        CAPTURE(expired);
        auto id = make_identity(certs, "IP:127.0.0.1", expired ? -2 * day : -3600, expired ? -day : day);
        sandbox_process sandbox({"--cert", id.cert_file, "--key", id.key_file, "--api-key", key});
        temp_dir dir;
        auto input = write_leads(dir, 6);
        auto r = run_importer({"--base-url", sandbox.url, "--ca-file", id.ca_file, "--verbose", input}, key);
        INFO(r.err);
        auto rows = read_report(input + ".report.csv");
        CHECK(rows.size() == 6);
        if (!expired) {
            CHECK(r.status == 0);
            CHECK(requests_unverified(sandbox) == 6);
            continue;
        }
        CHECK(r.status == 3);
        CHECK(contains(r.err, "certificate"));
        CHECK(contains(r.err, "expired"));
        CHECK(requests_unverified(sandbox) == 0);
        CHECK(count_outcome(rows, "failed") + count_outcome(rows, "not_sent") == 6);
        check_no_key(key, r, dir, {"leads.csv.report.csv"});
    }
}

TEST_CASE("a certificate for another host signed by a trusted CA is refused: exit 3, no request, report complete") {
    auto key = distinctive_key();
    temp_dir certs;
    auto id = make_identity(certs, "DNS:wrong.example", -3600, day);
    sandbox_process sandbox({"--cert", id.cert_file, "--key", id.key_file, "--api-key", key});
    temp_dir dir;
    auto input = write_leads(dir, 6);
    auto r = run_importer({"--base-url", sandbox.url, "--ca-file", id.ca_file, "--verbose", input}, key);
    INFO(r.err);
    CHECK(r.status == 3);
    CHECK(contains(r.err, "certificate"));
    CHECK(contains(r.err, "mismatch"));
    CHECK(requests_unverified(sandbox) == 0);
    auto rows = read_report(input + ".report.csv");
    CHECK(rows.size() == 6);
    CHECK(count_outcome(rows, "failed") + count_outcome(rows, "not_sent") == 6);
    check_no_key(key, r, dir, {"leads.csv.report.csv"});
}
