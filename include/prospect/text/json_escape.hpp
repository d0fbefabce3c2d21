// JSON string literals for the request body and the JSONL report: one
// escaper, tested against Boost.JSON's serializer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace prospect::text {

// The most bytes write_json_string() writes for `size` bytes: a byte may
// become six (\u00XX, or \ufffd for one that is not UTF-8), and the quotes.
constexpr std::size_t json_string_bound(std::size_t size) noexcept { return 6 * size + 2; }

// Writes `s` as a quoted JSON string at `w`, which has room for
// json_string_bound(s.size()) bytes, and returns its end. Invalid UTF-8
// becomes U+FFFD so that the output is always valid JSON, whatever bytes a
// spreadsheet held.
char* write_json_string(char* w, std::string_view s) noexcept;

// The same, appended to `out`.
void append_json_string(std::string& out, std::string_view s);

}  // namespace prospect::text
