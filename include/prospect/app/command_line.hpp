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

// parse_options, then resolve_api_key with EXTROVERT_API_KEY. Throws
// fatal_error (exit 2) naming the option that is wrong; prints
// --help/--version itself.
parse_result parse_command_line(int argc, const char* const* argv);

// The options alone, every value checked: reads no environment variable and
// no key file (only whether the input is a regular file, for the report's
// default path). The config's api_key is left empty.
parse_result parse_options(int argc, const char* const* argv);

// The secret step: the key from cfg.api_key_file, else `env_key` (the value
// of EXTROVERT_API_KEY, null when unset); nothing for a dry run or --sandbox.
// Throws fatal_error (exit 2) saying where the key came from, never what it is.
void resolve_api_key(config& cfg, const char* env_key);

}  // namespace prospect::app
