// The default name of a shared limit: every importer using the same API key
// against the same API shares one limit, without the key reaching Redis. The
// name is HMAC-SHA256(key = API key, message = base URL), in hex, cut to 32
// characters, under the `prospect:limit:` prefix: equal inputs meet, and the
// name reveals neither input (the key cannot be recovered or tested for
// without the key itself).
#pragma once

#include <string>
#include <string_view>

namespace prospect::shared_limit {

inline constexpr std::string_view limit_name_prefix = "prospect:limit:";

std::string default_limit_name(std::string_view base_url, std::string_view api_key);

// The Redis key of a limit named on the command line (--limit-name): the same
// prefix, so that every key the importer writes sits under it.
std::string limit_key(std::string_view limit_name);

}  // namespace prospect::shared_limit
