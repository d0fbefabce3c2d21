// LinkedIn member profile URLs: what people paste into spreadsheets, reduced
// to the one form we send (https://www.linkedin.com/in/<slug>), or the reason
// it cannot be (docs/contract.md, "Validation and normalization").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace prospect::lead {

enum class url_error : unsigned char {
    empty,                 // nothing but white space
    email,                 // an e-mail address (or mailto:) in the url column
    unsupported_scheme,    // ftp://, javascript:, ... (only http and https)
    user_info,             // user@host: the host a browser would visit is after the '@'
    bad_port,              // a port other than 80 or 443
    not_linkedin,          // some other host
    lookalike_host,        // says "linkedin" but is not linkedin.com or a subdomain of it
    short_link,            // lnkd.in: needs a network round trip to resolve
    bad_character,         // raw white space or control characters inside the URL
    company_page,          // /company/, /showcase/
    school_page,           // /school/
    sales_navigator,       // /sales/...: no public profile URL can be derived offline
    legacy_pub,            // /pub/: the pre-2015 form, its slug is not the public one
    search_page,           // /search/
    feed_or_post,          // /feed/, /posts/, /pulse/, /embed/
    not_a_profile,         // any other page: jobs, groups, events, the home page ...
    missing_slug,          // /in/ with no name after it (or "." / "..")
    bad_percent_encoding,  // '%' not followed by two hex digits
    invalid_utf8,          // the decoded slug is not UTF-8 (its %XX escapes are to blame)
    not_utf8_text,         // the slug as written holds bytes that are not UTF-8: a legacy-encoded file
};

// Operator-facing reason, fit for the report's message column.
std::string_view describe(url_error e) noexcept;

// Writes https://www.linkedin.com/in/<slug> into `out` (cleared first, its
// capacity reused) and returns nullopt, or returns why the cell is not a
// member profile URL (then `out` is empty).
//
// Decisions beyond docs/contract.md, each pinned by a test:
// - scheme-relative "//host/..." is accepted like a missing scheme;
// - ports 80 and 443 are accepted (they name the same site), others refused;
// - a trailing dot on the host ("linkedin.com.") is the same host;
// - any number of subdomain labels is accepted (uk., m., de., www.uk.);
// - empty path segments are skipped ("linkedin.com//in//jane");
// - /mwlite/in/<slug> (LinkedIn Lite) is a profile like /in/<slug>;
// - member-id slugs are those whose decoded form starts with "ACoAA" exactly.
std::optional<url_error> normalize_profile_url(std::string_view cell, std::string& out);

}  // namespace prospect::lead
