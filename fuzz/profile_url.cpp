// Any bytes as a profile URL cell. Beyond not crashing: an accepted URL is
// the canonical form (the prefix, then a slug of a-z 0-9 - . _ ~, upper case
// only in member ids, and %XX in upper-case hex), and normalizing it again
// gives it back unchanged; a refused one leaves the output empty.
#include "check.hpp"
#include "prospect/lead/profile_url.hpp"

#include <string>

using namespace prospect;
using fuzz::require;

namespace {

constexpr std::string_view prefix = "https://www.linkedin.com/in/";

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

bool is_canonical_slug(std::string_view slug) {
    const bool member_id = slug.starts_with("ACoAA");
    for (std::size_t i = 0; i < slug.size(); ++i) {
        char c = slug[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') continue;
        if (c >= 'A' && c <= 'Z' && member_id) continue;
        if (c == '%' && i + 2 < slug.size() && is_upper_hex(slug[i + 1]) && is_upper_hex(slug[i + 2])) {
            i += 2;
            continue;
        }
        return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view cell(reinterpret_cast<const char*>(data), size);
    static std::string out, again;
    if (auto error = lead::normalize_profile_url(cell, out)) {
        require(out.empty(), "a refused URL leaves no output");
        require(!lead::describe(*error).empty(), "every refusal has a message");
        return 0;
    }
    require(out.starts_with(prefix), "the output starts with https://www.linkedin.com/in/");
    std::string_view slug = std::string_view(out).substr(prefix.size());
    require(!slug.empty() && slug != "." && slug != "..", "the slug names someone");
    require(is_canonical_slug(slug), "the slug is canonical ASCII");
    require(!lead::normalize_profile_url(out, again), "the output is accepted");
    require(again == out, "the output normalizes to itself");
    return 0;
}
