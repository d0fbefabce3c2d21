// Validation and de-duplication happen in input order, so "the later one is
// a duplicate of the first" holds whatever the order rows are sent in. The
// reader's look-ahead judges cells with the lead layer's own rules.
#include "prospect/app/row_source.hpp"

#include "prospect/app/exit_status.hpp"
#include "prospect/lead/cell.hpp"
#include "prospect/lead/profile_url.hpp"
#include "prospect/text/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <new>

namespace prospect::app {
namespace {

void require_source(const csv::record_reader& reader, csv::field f, bool has_default, const char* option,
                    const std::string& input) {
    if (reader.has_column(f) || has_default) return;
    throw usage_error(fmt::format("{} has no {} column and no {} was given: every row needs one", input,
                                  csv::to_string(f), option));
}

csv::reader_params with_judges(csv::reader_params p) {
    p.is_profile_url = [](std::string_view cell) {
        std::string normalized;
        return !lead::normalize_profile_url(cell, normalized);
    };
    p.is_uuid = [](std::string_view cell) { return lead::parse_uuid(cell).has_value(); };
    return p;
}

// "<column note>; empty cells take <option>", or "<option> for every row (<why no column>)".
std::string field_line(const csv::record_reader& reader, csv::field f, const std::string& option) {
    const std::string& note = reader.column_note(f);
    std::string line = fmt::format("{}: ", csv::to_string(f));
    if (reader.has_column(f))
        return line + note + (option.empty() ? "" : "; empty cells take " + option);
    return line + fmt::format("{} for every row ({})", option,
                              note.empty() ? fmt::format("no {} column", csv::to_string(f)) : note);
}

}  // namespace

row_source::row_source(const config& cfg)
    : reader_(cfg.input_path, with_judges(cfg.reader)), defaults_(cfg.defaults), name_(cfg.reader.display_name) {
    require_source(reader_, csv::field::campaign, defaults_.campaign.has_value(), "--campaign",
                   cfg.reader.display_name);
    require_source(reader_, csv::field::list, defaults_.list.has_value(), "--list", cfg.reader.display_name);
}

std::vector<std::string> row_source::column_lines() const {
    auto id_option = [](const char* option, const std::optional<lead::uuid>& id) {
        return id ? fmt::format("{} {}", option, id->view()) : std::string();
    };
    std::vector<std::string> lines{
        field_line(reader_, csv::field::url, ""),
        field_line(reader_, csv::field::campaign, id_option("--campaign", defaults_.campaign)),
        field_line(reader_, csv::field::list, id_option("--list", defaults_.list)),
        field_line(reader_, csv::field::move,
                   defaults_.move ? "--move-duplicates" : "--no-move-duplicates (the default)"),
    };
    if (reader_.input_encoding() != csv::encoding::utf8)
        lines.push_back(fmt::format("encoding: {}, decoded to UTF-8 as it is read", to_string(reader_.input_encoding())));
    return lines;
}

std::string encoding_warning(std::string_view input_name, std::size_t first_non_utf8_row) {
    if (first_non_utf8_row == 0) return {};
    return fmt::format("warning: {} is not valid UTF-8 (first in row {}, whose bytes the report shows as U+FFFD); "
                       "if it was saved by Excel on Windows, run again with --encoding windows-1252",
                       input_name, first_non_utf8_row);
}

bool row_source::next(source_row& out) {
    if (!reader_.next(record_)) return false;
    // Refused here, not in settle_duplicates: a batch settles whole.
    if (record_.row > lead::deduper::max_row)
        throw csv::input_error(fmt::format("{}: more than {} rows, the most one run can de-duplicate", name_,
                                           lead::deduper::max_row));
    using csv::field;
    auto cell = [&](field f) { return record_.cells[static_cast<std::size_t>(f)]; };
    out.row = record_.row;
    lead::assign_cell(out.profile_url, cell(field::url));
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
        // Only invalid rows are looked at: bytes that are not UTF-8 in a read
        // cell make it invalid, and valid rows keep their path unchanged.
        if (first_non_utf8_row_ == 0 && !reader_.encoding_chosen())
            for (auto f : {field::url, field::campaign, field::list, field::move})
                if (!text::is_valid_utf8(cell(f))) {
                    first_non_utf8_row_ = out.row;
                    break;
                }
    }
    ++rows_read_;
    return true;
}

void row_source::settle_duplicates(std::span<source_row> rows) {
    reserve_for_file();
    hashes_.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!rows[i].settled) hashes_[i] = deduper_.hash_ahead(rows[i].lead);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        source_row& r = rows[i];
        if (r.settled) continue;
        if (auto first = deduper_.check_hashed(hashes_[i], r.row)) {
            r.settled = policy::outcome::duplicate;
            r.message = fmt::format("duplicate of row {}", *first);
        }
    }
}

// Once, after the first thousand rows of a regular file: room in the
// de-duplication table for as many keys as the file holds rows at the bytes
// a row seen so far, so that growing does not move every key about nine
// times. No margin past the estimate (the table's own slack covers a few
// percent): if the rest of the file runs shorter a row, the segments that
// fill grow by an eighth as before; if it runs longer, or keys are fewer
// (duplicates, invalid rows), each slot unused costs 12 bytes.
void row_source::reserve_for_file() {
    if (!reserve_pending_ || rows_read_ < 1000) return;
    reserve_pending_ = false;
    const auto size = reader_.input_size();
    const std::uint64_t consumed = reader_.bytes_consumed();
    if (!size || consumed == 0) return;
    const double rows = static_cast<double>(rows_read_) * static_cast<double>(*size) / static_cast<double>(consumed);
    try {
        deduper_.reserve(static_cast<std::size_t>(std::min(rows, static_cast<double>(lead::deduper::max_row))));
    } catch (const std::bad_alloc&) {
        // Only a head start: the table grows as keys come, as for a stream.
    }
}

}  // namespace prospect::app
