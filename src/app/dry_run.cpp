// A dry run reports invalid and duplicate rows as such and every other row
// as not_sent with the message "dry run" (docs/contract.md). It needs no key and
// writes no journal.
#include "prospect/app/dry_run.hpp"

#include "prospect/app/log.hpp"
#include "prospect/app/row_source.hpp"
#include "prospect/app/tally.hpp"
#include "prospect/report/report_writer.hpp"

namespace prospect::app {

int run_dry(const config& cfg) {
    log out(cfg.verbosity);
    row_source source(cfg);
    report::report_writer report(cfg.report_path, cfg.report_format);
    tally counts;
    source_row r;
    while (source.next(r)) {
        auto outcome = r.settled.value_or(policy::outcome::not_sent);
        report.write({.row = r.row,
                      .profile_url = r.profile_url,
                      .normalized_url = r.lead.normalized_url,
                      .campaign_id = r.lead.campaign_id,
                      .prospect_list_id = r.lead.list_id,
                      .outcome = outcome,
                      .message = r.settled ? std::string_view(r.message) : std::string_view("dry run")});
        counts.add(outcome);
    }
    report.finish();
    out.summary("dry run of {}: {}; nothing sent; report: {}", cfg.reader.display_name, describe(counts, true),
                cfg.report_path == "-" ? "standard output" : cfg.report_path);
    return finished_exit_status(counts, true);
}

}  // namespace prospect::app
