// The four fields the importer reads from a CSV file, and how a header cell
// is recognised as one of them (docs/contract.md "Columns": case-insensitive,
// ignoring spaces, '_' and '-').
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace prospect::csv {

enum class field : unsigned char { url, campaign, list, move };
inline constexpr std::size_t field_count = 4;

std::string_view to_string(field f);
// Accepts the names of to_string in any case; used by --column FIELD=HEADER.
std::optional<field> field_from_string(std::string_view name);

// The headers automatic detection recognises for `f`, as docs/contract.md writes
// them. Several url columns are told apart by their cells (record_reader);
// for the other fields the earliest alias of the table wins.
std::span<const std::string_view> header_aliases(field f);

// The table as --help shows it: one line a field (wrapped), aliases in order.
std::string alias_table_text();

// The header's matching key: ASCII lower case without ' ', '_' and '-'.
std::string normalize_header(std::string_view header);

}  // namespace prospect::csv
