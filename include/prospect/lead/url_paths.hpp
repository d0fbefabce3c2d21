// The two ways normalize_profile_url goes, apart so that tests can hold the
// fast one to the general one: a cell in one of the usual forms is settled by
// normalize_usual_url, every other cell by normalize_any_url.
#pragma once

#include "prospect/lead/profile_url.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace prospect::lead {

// For a trimmed cell of the usual form ([http[s]://][label.]linkedin.com/in/
// <slug> with no '%' in the slug, then anything), writes what
// normalize_any_url would and returns true; else returns false, `out`
// holding anything.
bool normalize_usual_url(std::string_view trimmed, std::string& out);

// normalize_profile_url for a trimmed cell, by the general parser.
std::optional<url_error> normalize_any_url(std::string_view trimmed, std::string& out);

}  // namespace prospect::lead
