// What "surrounding white space is ignored" means for every lead cell.
#pragma once

#include <string_view>

namespace prospect::lead {

// `s` without leading and trailing ASCII white space and U+00A0 (no-break
// space, which web pages paste into spreadsheets as if it were a space).
std::string_view trim_cell(std::string_view s) noexcept;

}  // namespace prospect::lead
