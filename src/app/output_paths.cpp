// Compared by device and inode, so that "./leads.csv", a symbolic link or a
// hard link to the input are all caught.
#include "prospect/app/output_paths.hpp"

#include "prospect/app/exit_status.hpp"

#include <fmt/format.h>
#include <system_error>
#include <sys/stat.h>

namespace prospect::app {

void refuse_outputs_naming_input(const config& cfg) {
    struct stat input {};
    if (cfg.input_path == "-" || ::stat(cfg.input_path.c_str(), &input) != 0 || !S_ISREG(input.st_mode)) return;
    const std::pair<const char*, const std::string*> outputs[] = {
        {"--report", &cfg.report_path}, {"--journal", &cfg.journal_path}, {"--metrics-file", &cfg.metrics_file}};
    for (const auto& [option, path] : outputs) {
        struct stat out {};
        if (path->empty() || *path == "-" || ::stat(path->c_str(), &out) != 0) continue;
        if (out.st_dev == input.st_dev && out.st_ino == input.st_ino)
            throw usage_error(fmt::format("{} {} is the input file itself: it would be overwritten; name another file",
                                          option, *path));
    }
}

std::optional<journal::run_lock> lock_output(const std::string& path) {
    if (path.empty() || path == "-") return std::nullopt;
    try {
        return std::optional<journal::run_lock>(std::in_place, path, std::chrono::system_clock::now());
    } catch (const journal::lock_held& e) {
        throw fatal_error(exit_locked, e.what());
    } catch (const std::system_error& e) {
        throw usage_error(e.what());
    }
}

}  // namespace prospect::app
