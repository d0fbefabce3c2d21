// The one place that turns exceptions into messages and exit statuses:
// nothing reaches the user as a stack trace or a bare what().
#include "prospect/app/main.hpp"

#include "prospect/app/command_line.hpp"
#include "prospect/app/dry_run.hpp"
#include "prospect/app/exit_status.hpp"
#include "prospect/app/import.hpp"
#include "prospect/app/log.hpp"
#include "prospect/csv/record_reader.hpp"
#include "prospect/report/report_writer.hpp"

namespace prospect::app {

int main(int argc, const char* const* argv) {
    log out(verbosity::normal);
    try {
        auto parsed = parse_command_line(argc, argv);
        if (!parsed.cfg) return parsed.exit_status;
        const config& cfg = *parsed.cfg;
        return cfg.dry_run ? run_dry(cfg) : run_import(cfg);
    } catch (const fatal_error& e) {
        out.error("{}", e.what());
        return e.status;
    } catch (const csv::input_error& e) {
        out.error("{}", e.what());
        return exit_usage;
    } catch (const report::report_error& e) {
        out.error("{}", e.what());
        return exit_usage;
    } catch (const std::bad_alloc&) {
        out.error("aborted: out of memory");
        return exit_fatal;
    } catch (const std::exception& e) {
        out.error("aborted by an internal error: {}", e.what());
        return exit_fatal;
    }
}

}  // namespace prospect::app
