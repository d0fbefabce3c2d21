// The live import (and --sandbox): sets up TLS, the optional in-process
// sandbox, signals and the report, then runs the pipeline to the end.
#pragma once

#include "prospect/app/config.hpp"

namespace prospect::app {

int run_import(const config& cfg);

}  // namespace prospect::app
