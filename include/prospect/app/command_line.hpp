// Command line to config in two steps (as ripgrep does): CLI11 parses the
// raw flags, then every value is checked and turned into a config.
#pragma once

#include "prospect/app/config.hpp"

#include <optional>

namespace prospect::app {

struct parse_result {
    std::optional<config> cfg;  // empty: nothing to run (--help, --version)
    int exit_status = 0;        // what to exit with when cfg is empty
};

// Throws fatal_error (exit 2) naming the option that is wrong. Reads
// EXTROVERT_API_KEY or the --api-key-file; prints --help/--version itself.
parse_result parse_command_line(int argc, const char* const* argv);

}  // namespace prospect::app
