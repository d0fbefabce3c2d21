// Pure formatting of report records: CSV (RFC 4180, formula-like cells
// neutralized) and JSONL (one object a line, same fields).
#pragma once

#include "prospect/report/row_result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace prospect::report {

enum class format { csv, jsonl };

std::optional<format> format_from_string(std::string_view) noexcept;

// The header line of the CSV report, newline included.
std::string_view csv_header() noexcept;

// Appends one CSV record (newline included); report_writer writes them
// through csv_record_writer into its own buffer.
void append_csv(std::string& out, const row_result& r);

// Appends one JSON object and a newline; report_writer writes them through
// jsonl_record_writer into the same buffer.
void append_jsonl(std::string& out, const row_result& r);

// Appends `cell` as one CSV field: quoted when it holds a delimiter, quote or
// line break, and prefixed with ' when a spreadsheet would run it as a formula.
void append_csv_cell(std::string& out, std::string_view cell);

}  // namespace prospect::report
