// JSON string literals for the request body and the JSONL report: one
// escaper, tested against Boost.JSON's serializer.
#pragma once

#include <string>
#include <string_view>

namespace prospect::text {

// Appends `s` as a quoted JSON string. Invalid UTF-8 becomes U+FFFD so that
// the output is always valid JSON, whatever bytes a spreadsheet held.
void append_json_string(std::string& out, std::string_view s);

}  // namespace prospect::text
