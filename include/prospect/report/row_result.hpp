// What the report says about one data row (docs/contract.md, "The per-row report").
// Views, not strings: the record is formatted before its buffers are reused.
#pragma once

#include "prospect/policy/outcome.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace prospect::report {

struct row_result {
    std::size_t row = 0;               // spreadsheet row number (header = 1)
    std::string_view profile_url;      // the url cell as read
    std::string_view normalized_url;   // empty when the url is invalid
    std::string_view campaign_id;      // the effective id (lower case), or the raw cell when invalid
    std::string_view prospect_list_id;
    policy::outcome outcome = policy::outcome::not_sent;
    int http_status = 0;               // last HTTP status seen; 0 = none
    int attempts = 0;                  // requests sent for the row
    std::string_view message;
    // The move flag the row was (or would be) sent with; none for a row that
    // never got one (invalid).
    std::optional<bool> move_duplicates;
    // Set by a caller that made normalized_url, campaign_id,
    // prospect_list_id and message itself from checked parts (the canonical
    // URL, UUIDs, its own printable ASCII messages without commas, quotes or
    // backslashes): the CSV report copies them without looking for quotes,
    // formula prefixes or bytes that are not UTF-8, the JSONL report copies
    // them between quotes unescaped, and both check profile_url alone.
    bool derived_cells_plain = false;
};

}  // namespace prospect::report
