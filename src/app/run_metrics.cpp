// The metrics file is written last, after the report and the journal.
#include "prospect/app/run_metrics.hpp"

#include "prospect/app/error_status.hpp"

namespace prospect::app {

int with_metrics(const config& cfg, const log& out, const std::function<int(run_metrics&)>& run) {
    const auto started = std::chrono::steady_clock::now();
    run_metrics metrics;
    metrics.input = cfg.reader.display_name;
    auto write = [&](int status) {
        if (cfg.metrics_file.empty()) return;
        metrics.duration = std::chrono::steady_clock::now() - started;
        metrics.exit_status = status;
        metrics.finished_at = std::chrono::system_clock::now();
        if (auto error = write_metrics_file(cfg.metrics_file, metrics)) out.error("{}", *error);
    };
    int status;
    try {
        status = run(metrics);
    } catch (...) {
        write(verdict_for(std::current_exception()).status);
        throw;
    }
    write(status);
    return status;
}

}  // namespace prospect::app
