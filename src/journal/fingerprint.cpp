// SHA-256 through OpenSSL's EVP interface, and the canonical encoding of the
// settings that is hashed into the settings digest.
#include "prospect/journal/fingerprint.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace prospect::journal {

std::string to_hex(const digest& d) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(d.size() * 2);
    for (unsigned char c : d) {
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
    return out;
}

struct sha256::state {
    EVP_MD_CTX* ctx = nullptr;
    ~state() { EVP_MD_CTX_free(ctx); }
};

namespace {

void init(EVP_MD_CTX* ctx) {
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 init failed");
}

}  // namespace

sha256::sha256() : state_(std::make_unique<state>()) {
    state_->ctx = EVP_MD_CTX_new();
    if (!state_->ctx) throw std::bad_alloc();
    init(state_->ctx);
}

sha256::~sha256() = default;
sha256::sha256(sha256&&) noexcept = default;
sha256& sha256::operator=(sha256&&) noexcept = default;

void sha256::update(std::string_view bytes) {
    if (EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1)
        throw std::runtime_error("SHA-256 update failed");
}

digest sha256::finish() {
    digest d{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(state_->ctx, d.data(), &len) != 1 || len != d.size())
        throw std::runtime_error("SHA-256 final failed");
    init(state_->ctx);
    return d;
}

digest fingerprint_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot read " + path);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    sha256 h;
    std::string buf(1 << 20, '\0');
    for (;;) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            ::close(fd);
            throw std::system_error(e, std::generic_category(), "cannot read " + path);
        }
        if (n == 0) break;
        h.update({buf.data(), static_cast<std::size_t>(n)});
    }
    ::close(fd);
    return h.finish();
}

namespace {

// Length-prefixed fields, so that no two different settings encode alike.
void put_field(std::string& out, std::string_view s) {
    std::uint32_t n = static_cast<std::uint32_t>(s.size());
    for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
    out.append(s);
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

digest settings_digest(const settings_params& p) {
    std::string enc;
    put_field(enc, "prospect-import settings v1");
    put_field(enc, ascii_lower(p.campaign));
    put_field(enc, ascii_lower(p.list));
    put_field(enc, p.move_duplicates ? "move" : "keep");
    auto columns = p.columns;
    std::sort(columns.begin(), columns.end());
    put_field(enc, std::to_string(columns.size()));
    for (const auto& [field, header] : columns) {
        put_field(enc, field);
        put_field(enc, header);
    }
    put_field(enc, std::string_view(&p.delimiter, 1));
    put_field(enc, p.base_url);
    sha256 h;
    h.update(enc);
    return h.finish();
}

}  // namespace prospect::journal
