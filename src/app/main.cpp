// The one place that turns exceptions into messages and exit statuses:
// nothing reaches the user as a stack trace or a bare what().
#include "prospect/app/main.hpp"

#include "prospect/app/command_line.hpp"
#include "prospect/app/dry_run.hpp"
#include "prospect/app/error_status.hpp"
#include "prospect/app/exit_status.hpp"
#include "prospect/app/import.hpp"
#include "prospect/app/log.hpp"
#include "prospect/app/no_core_dumps.hpp"

namespace prospect::app {

int main(int argc, const char* const* argv) {
    forbid_core_dumps();
    log out(verbosity::normal);
    try {
        auto parsed = parse_command_line(argc, argv);
        if (!parsed.cfg) return parsed.exit_status;
        const config& cfg = *parsed.cfg;
        return cfg.dry_run ? run_dry(cfg) : run_import(cfg);
    } catch (...) {
        auto v = verdict_for(std::current_exception());
        out.error("{}", v.message);
        return v.status;
    }
}

}  // namespace prospect::app
