#include "prospect/lead/profile_url.hpp"

#include <doctest/doctest.h>

#include <string>
#include <variant>

using prospect::lead::describe;
using prospect::lead::normalize_profile_url;
using prospect::lead::url_error;

namespace {

struct url_case {
    std::string_view input;
    std::variant<std::string_view, url_error> expected;  // normalized URL or the error
};

constexpr std::string_view jane = "https://www.linkedin.com/in/jane-doe";

// Every row is one decision; the comment says which when it is not obvious.
const url_case cases[] = {
    // The forms people paste.
    {"https://www.linkedin.com/in/jane-doe", jane},
    {"http://www.linkedin.com/in/jane-doe", jane},
    {"https://linkedin.com/in/jane-doe", jane},
    {"www.linkedin.com/in/jane-doe", jane},
    {"linkedin.com/in/jane-doe", jane},
    {"https://www.linkedin.com/in/jane-doe/", jane},
    {"HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE/", jane},
    {"https://uk.linkedin.com/in/jane-doe", jane},
    {"https://m.linkedin.com/in/jane-doe", jane},
    {"https://de.linkedin.com/in/jane-doe/", jane},
    {"https://www.uk.linkedin.com/in/jane-doe", jane},  // any number of subdomain labels
    {"https://www.linkedin.com/in/jane-doe?trk=public_profile", jane},
    {"https://www.linkedin.com/in/jane-doe/?originalSubdomain=fr", jane},
    {"https://www.linkedin.com/in/jane-doe#experience", jane},
    {"https://www.linkedin.com/in/jane-doe?", jane},
    {"https://www.linkedin.com/in/jane-doe/?", jane},
    {"https://www.linkedin.com/in/jane-doe/details/experience/", jane},  // extra segments dropped
    {"https://www.linkedin.com/in/jane-doe/de", jane},                  // locale suffix dropped
    {"https://www.linkedin.com/in/jane-doe/overlay/contact-info/?x=1", jane},
    {"  https://www.linkedin.com/in/jane-doe \t\r\n", jane},
    {"\xC2\xA0https://www.linkedin.com/in/jane-doe\xC2\xA0", jane},  // no-break spaces trimmed
    {"\xEF\xBB\xBFlinkedin.com/in/jane-doe\xE2\x80\x8B", jane},       // BOM, zero-width space trimmed
    {"linkedin.com/in/jane\xE2\x80\x8B-doe", "https://www.linkedin.com/in/jane%E2%80%8B-doe"},  // only at the ends
    {"//www.linkedin.com/in/jane-doe", jane},                        // scheme-relative
    {"https://www.linkedin.com:443/in/jane-doe", jane},
    {"http://linkedin.com:80/in/jane-doe", jane},
    {"linkedin.com:443/in/jane-doe", jane},
    {"https://www.linkedin.com./in/jane-doe", jane},   // fully qualified host
    {"https://www.linkedin.com//in//jane-doe", jane},  // empty segments skipped
    {"https://www.linkedin.com/mwlite/in/jane-doe", jane},
    {"https://www.linkedin.com/in/Jane-Doe", jane},
    {"https://www.linkedin.com/in/jane-doe-123abc", "https://www.linkedin.com/in/jane-doe-123abc"},
    {"https://www.linkedin.com/in/jane_doe.x~y", "https://www.linkedin.com/in/jane_doe.x~y"},
    {"https://www.linkedin.com/in/x", "https://www.linkedin.com/in/x"},
    {"linkedin.com/in/x?", "https://www.linkedin.com/in/x"},

    // Percent-encoding and UTF-8.
    {"https://www.linkedin.com/in/jörg", "https://www.linkedin.com/in/j%C3%B6rg"},
    {"https://www.linkedin.com/in/J%c3%b6rg", "https://www.linkedin.com/in/j%C3%B6rg"},
    {"https://www.linkedin.com/in/j%C3%B6rg", "https://www.linkedin.com/in/j%C3%B6rg"},
    {"https://www.linkedin.com/in/JÖRG", "https://www.linkedin.com/in/j%C3%96rg"},  // only ASCII lower-cased
    {"https://www.linkedin.com/in/%6Aane", "https://www.linkedin.com/in/jane"},
    {"https://www.linkedin.com/in/%4Aane", "https://www.linkedin.com/in/jane"},  // decoded 'J' lower-cased
    {"https://www.linkedin.com/in/%2D%2e%5F%7e", "https://www.linkedin.com/in/-._~"},
    {"https://www.linkedin.com/in/jane%20doe", "https://www.linkedin.com/in/jane%20doe"},
    {"https://www.linkedin.com/in/jane%2Fdoe", "https://www.linkedin.com/in/jane%2Fdoe"},  // decoded '/' stays in the slug
    {"https://www.linkedin.com/in/jane+doe", "https://www.linkedin.com/in/jane%2Bdoe"},
    {"https://www.linkedin.com/in/jane@doe", "https://www.linkedin.com/in/jane%40doe"},
    {"https://www.linkedin.com/in/李明", "https://www.linkedin.com/in/%E6%9D%8E%E6%98%8E"},
    {"https://www.linkedin.com/in/%F0%9F%98%80", "https://www.linkedin.com/in/%F0%9F%98%80"},
    {"https://www.linkedin.com/in/%", url_error::bad_percent_encoding},
    {"https://www.linkedin.com/in/jane%2", url_error::bad_percent_encoding},
    {"https://www.linkedin.com/in/jane%zz", url_error::bad_percent_encoding},
    {"https://www.linkedin.com/in/%%41", url_error::bad_percent_encoding},
    {"https://www.linkedin.com/in/j%C3", url_error::invalid_utf8},
    {"https://www.linkedin.com/in/j%E9rg", url_error::invalid_utf8},  // Latin-1 escapes
    {"https://www.linkedin.com/in/j\xE9rg", url_error::not_utf8_text},  // a Windows-1252 file
    {"https://www.linkedin.com/in/m\xFCller-%C3%B6", url_error::not_utf8_text},
    {"https://www.linkedin.com/in/j\xC3\xB6rg-%E9", url_error::invalid_utf8},  // raw UTF-8, Latin-1 escape
    {"https://www.linkedin.com/in/%C0%AF", url_error::invalid_utf8},  // overlong '/'

    // Member ids keep their case.
    {"https://www.linkedin.com/in/ACoAAAbCdEf123", "https://www.linkedin.com/in/ACoAAAbCdEf123"},
    {"linkedin.com/in/ACoAAAbCdEf123/?trk=x", "https://www.linkedin.com/in/ACoAAAbCdEf123"},
    {"https://www.linkedin.com/in/%41CoAAXyZ", "https://www.linkedin.com/in/ACoAAXyZ"},  // decided after decoding
    {"https://www.linkedin.com/in/acoaaxyz", "https://www.linkedin.com/in/acoaaxyz"},
    {"https://www.linkedin.com/in/ACOAAXyZ", "https://www.linkedin.com/in/acoaaxyz"},  // not the member-id prefix

    // Not a member profile.
    {"", url_error::empty},
    {"   \t ", url_error::empty},
    {"jane.doe@example.com", url_error::email},
    {"mailto:jane.doe@example.com", url_error::email},
    {"MAILTO:jane.doe@example.com", url_error::email},
    {"jane@linkedin.com", url_error::email},
    {"https://linkedin.com@evil.com/in/jane-doe", url_error::user_info},
    {"https://user:pass@www.linkedin.com/in/jane-doe", url_error::user_info},
    {"https://evil.com\\@linkedin.com/in/jane-doe", url_error::user_info},
    {"ftp://www.linkedin.com/in/jane-doe", url_error::unsupported_scheme},
    {"javascript:alert(1)", url_error::unsupported_scheme},
    {"https:www.linkedin.com/in/jane-doe", url_error::unsupported_scheme},
    {"https://www.linkedin.com:8080/in/jane-doe", url_error::bad_port},
    {"https://www.linkedin.com:/in/jane-doe", url_error::bad_port},
    {"https://www.linkedin.com:443x/in/jane-doe", url_error::bad_port},
    {"https://example.com/in/jane-doe", url_error::not_linkedin},
    {"jane-doe", url_error::not_linkedin},
    {"/in/jane-doe", url_error::not_linkedin},
    {"in/jane-doe", url_error::not_linkedin},
    {"https:///in/jane-doe", url_error::not_linkedin},
    {"https://127.0.0.1/in/jane-doe", url_error::not_linkedin},
    {"https://linkedin.com.evil.example/in/jane-doe", url_error::lookalike_host},
    {"https://evil-linkedin.com/in/jane-doe", url_error::lookalike_host},
    {"https://evillinkedin.com/in/jane-doe", url_error::lookalike_host},
    {"https://linkedin.cn/in/jane-doe", url_error::lookalike_host},
    {"https://www.linkedin.co/in/jane-doe", url_error::lookalike_host},
    {"https://www..linkedin.com/in/jane-doe", url_error::lookalike_host},  // empty label
    {"https://.linkedin.com/in/jane-doe", url_error::lookalike_host},
    {"https://www.lin_kedin.com/in/jane-doe", url_error::not_linkedin},
    {"https://lnkd.in/dAbCdEf", url_error::short_link},
    {"https://www.linkedin.com/in/jane doe", url_error::bad_character},
    {"https://www.linkedin.com/in/jane\tdoe", url_error::bad_character},
    {"https://www.linkedin.com/company/acme/", url_error::company_page},
    {"https://www.linkedin.com/showcase/acme-labs", url_error::company_page},
    {"https://www.linkedin.com/school/mit/", url_error::school_page},
    {"https://www.linkedin.com/sales/lead/ACwAAAbc,NAME_SEARCH,xyz", url_error::sales_navigator},
    {"https://www.linkedin.com/sales/people/ACwAAAbc,NAME_SEARCH", url_error::sales_navigator},
    {"https://www.linkedin.com/sales/search/people?query=x", url_error::sales_navigator},
    {"https://www.linkedin.com/pub/jane-doe/12/345/678", url_error::legacy_pub},
    {"https://www.linkedin.com/search/results/people/?keywords=jane", url_error::search_page},
    {"https://www.linkedin.com/feed/", url_error::feed_or_post},
    {"https://www.linkedin.com/feed/update/urn:li:activity:123/", url_error::feed_or_post},
    {"https://www.linkedin.com/posts/jane-doe_some-post-activity-123", url_error::feed_or_post},
    {"https://www.linkedin.com/pulse/some-article-jane-doe", url_error::feed_or_post},
    {"https://www.linkedin.com/jobs/view/123", url_error::not_a_profile},
    {"https://www.linkedin.com/groups/123", url_error::not_a_profile},
    {"https://www.linkedin.com/profile/view?id=ACoAAAbc", url_error::not_a_profile},
    {"https://www.linkedin.com/", url_error::not_a_profile},
    {"https://www.linkedin.com", url_error::not_a_profile},
    {"https://www.linkedin.com?in=jane", url_error::not_a_profile},
    {"https://www.linkedin.com/mwlite/", url_error::not_a_profile},
    {"https://www.linkedin.com/inn/jane-doe", url_error::not_a_profile},
    {"https://www.linkedin.com/in/", url_error::missing_slug},
    {"https://www.linkedin.com/in", url_error::missing_slug},
    {"https://www.linkedin.com/in/?trk=x", url_error::missing_slug},
    {"https://www.linkedin.com/in//", url_error::missing_slug},
    {"https://www.linkedin.com/in/../company/acme", url_error::missing_slug},
    {"https://www.linkedin.com/in/%2e", url_error::missing_slug},
};

std::string show(const std::variant<std::string_view, url_error>& v) {
    if (auto* s = std::get_if<std::string_view>(&v)) return std::string(*s);
    return "error: " + std::string(describe(std::get<url_error>(v)));
}

}  // namespace

TEST_CASE("profile URL table") {
    CHECK(std::size(cases) >= 60);
    std::string out;
    for (const url_case& c : cases) {
        CAPTURE(c.input);
        auto error = normalize_profile_url(c.input, out);
        std::variant<std::string_view, url_error> got = std::string_view(out);
        if (error) got = *error;
        CHECK(show(got) == show(c.expected));
        if (error) CHECK(out.empty());
    }
}

TEST_CASE("the output buffer is cleared and its capacity reused") {
    std::string out = "left over from the previous row, long enough to need the heap";
    const auto capacity = out.capacity();
    REQUIRE_FALSE(normalize_profile_url("linkedin.com/in/x", out));
    CHECK(out == "https://www.linkedin.com/in/x");
    CHECK(out.capacity() == capacity);
    REQUIRE(normalize_profile_url("linkedin.com/company/x", out));
    CHECK(out.empty());
}

TEST_CASE("every error has its own operator-facing reason") {
    CHECK(describe(url_error::sales_navigator) ==
          "Sales Navigator link: cannot be turned into a public profile URL offline");
    for (int i = 0; i <= static_cast<int>(url_error::not_utf8_text); ++i)
        for (int j = 0; j < i; ++j)
            CHECK(describe(static_cast<url_error>(i)) != describe(static_cast<url_error>(j)));
}

TEST_CASE("normalizing a normalized URL changes nothing") {
    std::string once, twice;
    for (const url_case& c : cases) {
        if (normalize_profile_url(c.input, once)) continue;
        CAPTURE(c.input);
        REQUIRE_FALSE(normalize_profile_url(once, twice));
        CHECK(twice == once);
    }
}

namespace {

bool is_canonical(std::string_view url) {
    constexpr std::string_view prefix = "https://www.linkedin.com/in/";
    if (!url.starts_with(prefix) || url.size() == prefix.size()) return false;
    std::string_view slug = url.substr(prefix.size());
    const bool member_id = slug.starts_with("ACoAA");
    auto upper_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    for (std::size_t i = 0; i < slug.size(); ++i) {
        char c = slug[i];
        if (c == '%') {
            if (i + 2 >= slug.size() || !upper_hex(slug[i + 1]) || !upper_hex(slug[i + 2])) return false;
            i += 2;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                     c == '~' || (member_id && c >= 'A' && c <= 'Z'))) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("random URL-like cells: either an error or a canonical, stable URL") {
    // Pieces people paste, glued at random: most results are errors, and
    // those that are not must be canonical and survive a second pass.
    const std::string_view pieces[] = {
        "https://", "http://", "//", "www.", "uk.", "linkedin.com", "linkedin.cn", "lnkd.in", ":443", ":8080",
        "@",        "/",       "/in/", "/IN/", "/company/", "/sales/lead/", "/mwlite", "jane", "J", "ACoAA", "%",
        "%4",       "%41",     "%c3%b6", "%C3", "\xC3\xB6", "\xE9", "?", "#", "-", ".", "..", " ", "\t", "+",
        "~",        "_",       "%2F", "%2e", "\xC2\xA0", "mailto:", "x", "0", ":"};
    std::uint32_t state = 12345;  // a fixed LCG keeps the cases identical on every run
    auto next = [&](std::uint32_t bound) {
        state = state * 1664525u + 1013904223u;
        return (state >> 8) % bound;
    };
    std::string cell, out, again;
    std::size_t accepted = 0;
    for (int i = 0; i < 50000; ++i) {
        cell.clear();
        std::uint32_t n = 1 + next(10);
        if (next(2) == 0) cell += "linkedin.com/in/";
        for (std::uint32_t k = 0; k < n; ++k) cell += pieces[next(std::size(pieces))];
        auto error = normalize_profile_url(cell, out);
        if (error) {
            if (!out.empty()) FAIL("output left after an error for " << cell);
            continue;
        }
        ++accepted;
        if (!is_canonical(out)) FAIL(cell << " gave the non-canonical " << out);
        if (normalize_profile_url(out, again) || again != out) FAIL(out << " is not stable");
    }
    CHECK(accepted > 1000);  // the generator does reach the success path
}

TEST_CASE("percent-encoding any byte of a slug changes nothing") {
    const std::string_view slugs[] = {"jane-doe", "j\xC3\xB6rg", "\xE6\x9D\x8E\xE6\x98\x8E", "ACoAAbXyZ", "a.b_c~d",
                                      "\xF0\x9F\x98\x80x"};
    std::string plain, encoded, cell;
    for (std::string_view slug : slugs) {
        REQUIRE_FALSE(normalize_profile_url("linkedin.com/in/" + std::string(slug), plain));
        for (unsigned mask = 0; mask < (1u << slug.size()) && mask < 4096; ++mask) {
            cell = "https://www.linkedin.com/in/";
            for (std::size_t i = 0; i < slug.size(); ++i) {
                if (mask & (1u << i)) {
                    constexpr char hex[] = "0123456789abcdef";  // lower-case escapes are fine too
                    auto b = static_cast<unsigned char>(slug[i]);
                    cell += '%';
                    cell += hex[b >> 4];
                    cell += hex[b & 15];
                } else {
                    cell += slug[i];
                }
            }
            CAPTURE(cell);
            REQUIRE_FALSE(normalize_profile_url(cell, encoded));
            CHECK(encoded == plain);
        }
    }
}

// Long cells are checked 16 bytes a step with an overlapping last step.
TEST_CASE("a control byte, space or DEL is found wherever it is in the URL") {
    const std::string url = "https://www.linkedin.com/in/jane-doe-0123456789abcdef?trk=x";
    std::string out;
    for (std::size_t at = 1; at + 1 < url.size(); ++at)
        for (char bad : {'\x01', '\x1F', ' ', '\x7F', '\t'}) {
            std::string cell = url;
            cell[at] = bad;
            CAPTURE(at);
            CHECK(normalize_profile_url(cell, out) == url_error::bad_character);
        }
    for (std::size_t size = 1; size <= url.size(); ++size) {
        CAPTURE(size);
        CHECK(normalize_profile_url(url.substr(0, size), out) != url_error::bad_character);
    }
    CHECK(normalize_profile_url("https://www.linkedin.com/in/j\xC3\xA9r\xC3\xB4me-\xE2\x82\xAC", out) == std::nullopt);
    CHECK(out == "https://www.linkedin.com/in/j%C3%A9r%C3%B4me-%E2%82%AC");
}

// Scheme, authority and path ends are found 16 bytes a step: every length of
// host and slug puts them on every side of a step.
TEST_CASE("a query, fragment or path end is found wherever it falls") {
    std::string out;
    for (std::size_t n = 1; n < 40; ++n) {
        const std::string slug(n, 'a');
        const std::string subdomains(n % 20 * 2, 'x');
        std::string host = "linkedin.com";
        for (std::size_t k = 0; k < subdomains.size(); k += 2) host = "x." + host;
        for (std::string_view end : {"", "?trk=a/b", "#in/x", "/details/?q#f"}) {
            for (std::string_view scheme : {"", "https://", "//"}) {
                const std::string cell = std::string(scheme) + host + "/in/" + slug + std::string(end);
                CAPTURE(cell);
                REQUIRE_FALSE(normalize_profile_url(cell, out));
                CHECK(out == "https://www.linkedin.com/in/" + slug);
            }
        }
        CHECK(normalize_profile_url(host + ":8080/in/" + slug, out) == url_error::bad_port);
        CHECK(normalize_profile_url("ftp://" + host + "/in/" + slug, out) == url_error::unsupported_scheme);
    }
}

// Letter slugs are folded eight bytes a step, the last step overlapping.
TEST_CASE("a slug of any length is folded to lower case, a member id kept") {
    const std::string letters = "AbCdEfGhIjKlMnOpQrStUvWxYz@[`{0-9._~Z";
    std::string out;
    for (std::size_t n = 1; n <= letters.size(); ++n) {
        std::string slug = letters.substr(0, n), lower;
        for (char c : slug) lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        const bool literal = slug.find_first_of("@[`{") == std::string::npos;
        CAPTURE(slug);
        REQUIRE_FALSE(normalize_profile_url("linkedin.com/in/" + slug, out));
        if (literal) CHECK(out == "https://www.linkedin.com/in/" + lower);
        REQUIRE_FALSE(normalize_profile_url("linkedin.com/in/ACoAA" + slug, out));
        if (literal) CHECK(out == "https://www.linkedin.com/in/ACoAA" + slug);
    }
}
