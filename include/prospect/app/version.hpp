// The version reported by --version and sent in the User-Agent.
#pragma once

#include <string_view>

namespace prospect::app {

inline constexpr std::string_view version = PROSPECT_VERSION;

}  // namespace prospect::app
