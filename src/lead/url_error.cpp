// The operator-facing reasons of url_error, apart from the parsing in
// profile_url.cpp: the report's message column shows them as they are.
#include "prospect/lead/profile_url.hpp"

namespace prospect::lead {

std::string_view describe(url_error e) noexcept {
    switch (e) {
    case url_error::empty: return "empty profile URL";
    case url_error::email: return "an e-mail address, not a LinkedIn profile URL";
    case url_error::unsupported_scheme: return "not an http:// or https:// URL";
    case url_error::user_info: return "URL names a user before the host (user@host): it leads to another site";
    case url_error::bad_port: return "URL has an unexpected port (only 80 and 443 are accepted)";
    case url_error::not_linkedin: return "not a LinkedIn URL";
    case url_error::lookalike_host: return "host is not linkedin.com (a look-alike)";
    case url_error::short_link: return "lnkd.in short link: cannot be resolved to a profile offline";
    case url_error::bad_character: return "URL contains white space or control characters";
    case url_error::company_page: return "company page, not a member profile";
    case url_error::school_page: return "school page, not a member profile";
    case url_error::sales_navigator:
        return "Sales Navigator link: cannot be turned into a public profile URL offline";
    case url_error::legacy_pub: return "legacy /pub/ URL: not a public profile URL, use the /in/ link";
    case url_error::search_page: return "search page, not a member profile";
    case url_error::feed_or_post: return "feed, post or article link, not a member profile";
    case url_error::not_a_profile: return "LinkedIn page that is not a member profile (expected /in/<name>)";
    case url_error::missing_slug: return "/in/ without a profile name";
    case url_error::bad_percent_encoding:
        return "bad percent-encoding in the profile name ('%' must be followed by two hex digits)";
    case url_error::invalid_utf8: return "profile name is not valid UTF-8 once percent-decoded";
    case url_error::not_utf8_text:
        return "profile name holds bytes that are not UTF-8: the file is probably in a legacy encoding "
               "such as Windows-1252; save it as CSV UTF-8";
    }
    return "invalid profile URL";
}

}  // namespace prospect::lead
