// Validation and de-duplication happen in input order, so "the later one is
// a duplicate of the first" holds whatever the order rows are sent in.
#include "prospect/app/row_source.hpp"

#include "prospect/app/exit_status.hpp"

#include <fmt/format.h>

namespace prospect::app {
namespace {

void require_source(const csv::record_reader& reader, csv::field f, bool has_default, const char* option,
                    const std::string& input) {
    if (reader.has_column(f) || has_default) return;
    throw usage_error(fmt::format("{} has no {} column and no {} was given: every row needs one", input,
                                  csv::to_string(f), option));
}

}  // namespace

row_source::row_source(const config& cfg)
    : reader_(cfg.input_path, cfg.reader), defaults_(cfg.defaults) {
    require_source(reader_, csv::field::campaign, defaults_.campaign.has_value(), "--campaign",
                   cfg.reader.display_name);
    require_source(reader_, csv::field::list, defaults_.list.has_value(), "--list", cfg.reader.display_name);
}

bool row_source::next(source_row& out) {
    if (!reader_.next(record_)) return false;
    using csv::field;
    auto cell = [&](field f) { return record_.cells[static_cast<std::size_t>(f)]; };
    out.row = record_.row;
    out.profile_url.assign(cell(field::url));
    out.settled.reset();
    out.message.clear();
    if (!record_.error.empty()) {
        out.lead.normalized_url.clear();
        out.lead.campaign_id.clear();
        out.lead.list_id.clear();
        out.settled = policy::outcome::invalid;
        out.message.assign(record_.error);
        return true;
    }
    lead::validate({cell(field::url), cell(field::campaign), cell(field::list), cell(field::move)}, defaults_,
                   out.lead);
    if (!out.lead.valid()) {
        out.settled = policy::outcome::invalid;
        out.message = out.lead.message;
    } else if (auto first = deduper_.check(out.lead, out.row)) {
        out.settled = policy::outcome::duplicate;
        out.message = fmt::format("duplicate of row {}", *first);
    }
    return true;
}

}  // namespace prospect::app
