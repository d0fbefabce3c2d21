// --dry-run: read, validate, normalize, de-duplicate and report; send nothing.
#pragma once

#include "prospect/app/config.hpp"

namespace prospect::app {

int run_dry(const config& cfg);

}  // namespace prospect::app
