#include "prospect/net/base_url.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using prospect::net::parse_base_url;

namespace {
std::string refusal(std::string_view url) {
    try {
        parse_base_url(url);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}
}  // namespace

TEST_CASE("the default API URL") {
    auto u = parse_base_url(prospect::net::default_base_url);
    CHECK(u.host == "api.goextrovert.com");
    CHECK(u.port == 443);
    CHECK(u.host_header == "api.goextrovert.com");
    CHECK(u.target == "/api/client/v1/prospects");
    CHECK_FALSE(u.host_is_ip);
}

TEST_CASE("port, path prefix and case") {
    auto u = parse_base_url("HTTPS://API.Example.COM:8443/gateway/extrovert/");
    CHECK(u.host == "api.example.com");
    CHECK(u.port == 8443);
    CHECK(u.host_header == "api.example.com:8443");
    CHECK(u.target == "/gateway/extrovert/api/client/v1/prospects");

    CHECK(parse_base_url("https://h/").target == "/api/client/v1/prospects");
    CHECK(parse_base_url("https://h:443").host_header == "h");
}

TEST_CASE("IP literals") {
    auto v4 = parse_base_url("https://127.0.0.1:40123");
    CHECK(v4.host == "127.0.0.1");
    CHECK(v4.host_is_ip);
    CHECK(v4.host_header == "127.0.0.1:40123");

    auto v6 = parse_base_url("https://[::1]:8443/p");
    CHECK(v6.host == "::1");
    CHECK(v6.host_is_ip);
    CHECK(v6.port == 8443);
    CHECK(v6.host_header == "[::1]:8443");
    CHECK(v6.target == "/p/api/client/v1/prospects");

    CHECK_FALSE(parse_base_url("https://1.2.3.4.example").host_is_ip);
}

TEST_CASE("plain http is refused with the reason") {
    auto why = refusal("http://api.goextrovert.com");
    CHECK(why.find("--base-url") != std::string::npos);
    CHECK(why.find("https://") != std::string::npos);
    CHECK(why.find("clear") != std::string::npos);
}

TEST_CASE("everything else that is not https://host[:port][/prefix] is refused") {
    for (const char* bad : {"", "api.goextrovert.com", "ftp://h", "https://", "https://:443", "https://h:",
                            "https://h:0", "https://h:65536", "https://h:12ab", "https://user:pw@h",
                            "https://h/p?x=1", "https://h/#frag", "https://h/a b", "https://h\r\nX: y",
                            "https://[::1", "https://[nonsense]:1", "https://[::1]x", "https://.h",
                            "https://h/\xC3\xA9"}) {
        CAPTURE(bad);
        auto why = refusal(bad);
        CHECK(why.find("--base-url") != std::string::npos);
    }
}
