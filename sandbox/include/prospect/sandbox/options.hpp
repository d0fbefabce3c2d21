// prospect-sandbox's command line (docs/contract.md, "prospect-sandbox") to
// server_params, validated: a bad option is exit status 2 with a message
// naming it, --help and --version exit 0.
#pragma once

#include "prospect/sandbox/server.hpp"

#include <iosfwd>
#include <optional>
#include <string_view>

namespace prospect::sandbox {

struct parsed_options {
    std::optional<server_params> params;  // empty: exit with exit_status, output already written
    int exit_status = 0;
};

parsed_options parse_options(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

struct latency_range {
    int min_ms = 0, max_ms = 0;
};
// "250" or "100-400" (milliseconds, min <= max); nullopt if malformed.
std::optional<latency_range> parse_latency(std::string_view s);

}  // namespace prospect::sandbox
