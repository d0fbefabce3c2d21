// Formatting appends into the caller's buffer: no allocation once it has grown.
#include "prospect/report/format.hpp"

#include "prospect/report/csv_cell.hpp"
#include "prospect/report/csv_record.hpp"
#include "prospect/text/json_escape.hpp"

#include <charconv>

namespace prospect::report {
namespace {

void append_number(std::string& out, std::size_t n) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, end);
}

}  // namespace

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
    using text::append_json_string;
    out.append("{\"row\":");
    append_number(out, r.row);
    out.append(",\"profile_url\":");
    append_json_string(out, r.profile_url);
    out.append(",\"normalized_url\":");
    append_json_string(out, r.normalized_url);
    out.append(",\"campaign_id\":");
    append_json_string(out, r.campaign_id);
    out.append(",\"prospect_list_id\":");
    append_json_string(out, r.prospect_list_id);
    out.append(",\"outcome\":\"");
    out.append(policy::to_string(r.outcome));
    out.append("\",\"http_status\":");
    if (r.http_status)
        append_number(out, static_cast<std::size_t>(r.http_status));
    else
        out.append("null");
    out.append(",\"attempts\":");
    append_number(out, static_cast<std::size_t>(r.attempts));
    out.append(",\"message\":");
    append_json_string(out, r.message);
    out.append(",\"move_duplicates\":");
    out.append(!r.move_duplicates ? "null" : *r.move_duplicates ? "true" : "false");
    out.append("}\n");
}

}  // namespace prospect::report
