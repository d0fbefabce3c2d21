// The whole of prospect-sandbox behind main(): parse the options, serve
// until SIGINT/SIGTERM, return the exit status (0, or 2 for a bad option or
// a configuration the server cannot start with).
#pragma once

namespace prospect::sandbox {

int run_main(int argc, const char* const* argv);

}  // namespace prospect::sandbox
