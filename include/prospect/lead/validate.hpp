// A data row's lead cells to the lead we would send, or every reason we will
// not: profile URL, campaign and list ids (own cell or default), move flag.
#pragma once

#include "prospect/lead/uuid.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace prospect::lead {

// What rows fall back to when their own cell is empty (--campaign, --list,
// --move-duplicates).
struct defaults {
    std::optional<uuid> campaign;
    std::optional<uuid> list;
    bool move = false;
};

// Raw cells of one record, untrimmed; a column the file lacks is an empty cell.
struct row_cells {
    std::string_view url, campaign, list, move;
};

// Reused across rows: the strings keep their capacity, so a steady stream of
// valid rows allocates nothing.
struct validated_row {
    std::string normalized_url;  // empty when the URL is invalid
    std::string campaign_id;     // the effective id in lower case; when invalid, the trimmed cell
    std::string list_id;         // same rule as campaign_id
    bool move = false;           // the effective flag (the default when the cell is empty or invalid)
    std::string message;         // empty = valid; else every reason, "; "-separated
    bool valid() const noexcept { return message.empty(); }
};

void validate(const row_cells& cells, const defaults& defs, validated_row& out);

}  // namespace prospect::lead
