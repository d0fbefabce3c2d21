// Formatting appends into the caller's buffer: no allocation once it has grown.
#include "prospect/report/format.hpp"

#include "prospect/report/csv_cell.hpp"
#include "prospect/report/csv_record.hpp"
#include "prospect/report/jsonl_record.hpp"

namespace prospect::report {

std::optional<format> format_from_string(std::string_view s) noexcept {
    if (s == "csv") return format::csv;
    if (s == "jsonl") return format::jsonl;
    return std::nullopt;
}

std::string_view csv_header() noexcept {
    return "row,profile_url,normalized_url,campaign_id,prospect_list_id,outcome,http_status,attempts,message,"
           "move_duplicates\n";
}

void append_csv_cell(std::string& out, std::string_view cell) {
    const std::size_t at = out.size();
    out.resize(at + cell_bound(cell.size()));
    out.resize(static_cast<std::size_t>(write_cell(out.data() + at, cell) - out.data()));
}

void append_csv(std::string& out, const row_result& r) {
    const std::size_t at = out.size();
    out.resize(at + csv_record_writer::bound(r));
    csv_record_writer records;
    out.resize(static_cast<std::size_t>(records.write(out.data() + at, r) - out.data()));
}

void append_jsonl(std::string& out, const row_result& r) {
    const std::size_t at = out.size();
    out.resize(at + jsonl_record_writer::bound(r));
    out.resize(static_cast<std::size_t>(jsonl_record_writer::write(out.data() + at, r) - out.data()));
}

}  // namespace prospect::report
