#include "prospect/shared_limit/limit_name.hpp"

#include <doctest/doctest.h>

using namespace prospect::shared_limit;

TEST_CASE("the default name is the prefix and 32 hex digits of HMAC-SHA256(key, base URL)") {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    CHECK(default_limit_name("what do ya want for nothing?", "Jefe") ==
          "prospect:limit:5bdcc146bf60754e6a042426089575c7");
}

TEST_CASE("the same key and URL meet on one name, another key or URL does not") {
    const auto name = default_limit_name("https://api.goextrovert.com", "sk_live_abc");
    CHECK(name == default_limit_name("https://api.goextrovert.com", "sk_live_abc"));
    CHECK(name != default_limit_name("https://api.goextrovert.com", "sk_live_abd"));
    CHECK(name != default_limit_name("https://staging.goextrovert.com", "sk_live_abc"));
    CHECK(name.size() == limit_name_prefix.size() + 32);
}

TEST_CASE("the name holds neither the key nor the URL") {
    const auto name = default_limit_name("https://api.goextrovert.com", "sk_live_secret_key");
    CHECK(name.find("sk_live") == std::string::npos);
    CHECK(name.find("goextrovert") == std::string::npos);
}

TEST_CASE("a name given on the command line goes under the same prefix, once") {
    CHECK(limit_key("campaign-7") == "prospect:limit:campaign-7");
    CHECK(limit_key("prospect:limit:abc") == "prospect:limit:abc");
}
