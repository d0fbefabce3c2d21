// HMAC rather than a plain hash of key and URL: a plain hash of a short or
// leaked-elsewhere key could be confirmed by anyone who reads Redis; the HMAC
// cannot be computed without the key.
#include "prospect/shared_limit/limit_name.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace prospect::shared_limit {

std::string default_limit_name(std::string_view base_url, std::string_view api_key) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha256(), api_key.data(), static_cast<int>(api_key.size()),
              reinterpret_cast<const unsigned char*>(base_url.data()), base_url.size(), mac, &mac_len))
        throw std::runtime_error("HMAC-SHA256 failed while deriving the shared limit's name");
    static constexpr char hex[] = "0123456789abcdef";
    std::string name(limit_name_prefix);
    for (unsigned i = 0; i < 16 && i < mac_len; ++i) {
        name += hex[mac[i] >> 4];
        name += hex[mac[i] & 15];
    }
    return name;
}

std::string limit_key(std::string_view limit_name) {
    if (limit_name.starts_with(limit_name_prefix)) return std::string(limit_name);
    return std::string(limit_name_prefix) + std::string(limit_name);
}

}  // namespace prospect::shared_limit
