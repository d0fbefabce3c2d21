// Parsing an HTTP Retry-After value (RFC 9110 section 10.2.3): delay-seconds
// or an HTTP-date in any of the three forms a recipient must accept.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace prospect::policy {

// Delays longer than this are reported as this; callers cap far lower anyway.
inline constexpr std::chrono::seconds retry_after_saturation{1'000'000'000};

// How long the value asks the client to wait, given the wall-clock `now`:
// delay-seconds as they are, an HTTP-date as the time until it (0 if it has
// passed). Surrounding spaces and tabs are ignored. nullopt for anything else
// (negative or fractional numbers, malformed or impossible dates).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// An HTTP-date (IMF-fixdate, obsolete RFC 850, or asctime) as a time point;
// a two-digit RFC 850 year is read relative to `now` as RFC 9110 requires.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view value,
                                                        std::chrono::system_clock::time_point now);

}  // namespace prospect::policy
