// Every run, dry or live, whatever its exit status, leaves its numbers in
// --metrics-file: a scheduler's dashboard must see the failed runs too.
#pragma once

#include "prospect/app/config.hpp"
#include "prospect/app/log.hpp"
#include "prospect/app/metrics_file.hpp"

#include <functional>

namespace prospect::app {

// Runs `run`, which fills what it knows of the metrics and returns the exit
// status; writes the metrics file (if --metrics-file) on the way out, an
// exception included (with the status main will give it), then rethrows.
int with_metrics(const config& cfg, const log& out, const std::function<int(run_metrics&)>& run);

}  // namespace prospect::app
