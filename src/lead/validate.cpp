// Row validation: each cell is checked independently so that the message
// lists every problem of the row at once, not just the first.
#include "prospect/lead/validate.hpp"

#include "prospect/lead/cell.hpp"
#include "prospect/lead/move_flag.hpp"
#include "prospect/lead/profile_url.hpp"
#include "prospect/text/utf8.hpp"

#include <cstring>

namespace prospect::lead {

namespace {

// Quoted cells are cut so that one runaway cell cannot bloat the report.
constexpr std::size_t max_quoted_bytes = 64;

void begin_reason(std::string& message) {
    if (!message.empty()) message += "; ";
}

// Appends 'cell', shortened and with ill-formed bytes as U+FFFD so that the
// message stays valid UTF-8 whatever the spreadsheet held.
void append_quoted(std::string& message, std::string_view cell) {
    message += '\'';
    std::size_t i = 0;
    while (i < cell.size()) {
        if (i >= max_quoted_bytes) {
            message += "...";
            break;
        }
        std::size_t n = text::utf8_sequence_length(cell.substr(i));
        if (n == 0) {
            message += "\xEF\xBF\xBD";
            ++i;
        } else {
            message.append(cell.substr(i, n));
            i += n;
        }
    }
    message += '\'';
}

// Most rows take the same default: no copy when it is already there, and
// the 36-byte compare inline rather than a memcmp call.
void take_default(const uuid& fallback, std::string& id) {
    if (id.size() == fallback.text.size() && std::memcmp(id.data(), fallback.text.data(), fallback.text.size()) == 0)
        return;
    id.assign(fallback.view());
}

[[gnu::noinline]] void resolve_id_cell(std::string_view raw, const std::optional<uuid>& fallback,
                                       std::string_view what, std::string_view option, std::string& id,
                                       std::string& message) {
    std::string_view cell = trim_cell_inline(raw);
    if (cell.empty()) {
        if (fallback) {
            take_default(*fallback, id);
            return;
        }
        id.clear();
        begin_reason(message);
        message += "no ";
        message += what;
        message += ": the cell is empty and no ";
        message += option;
        message += " was given";
        return;
    }
    if (auto u = parse_uuid(cell)) {
        id.assign(u->view());
        return;
    }
    id.assign(cell);
    begin_reason(message);
    message += what;
    message += ' ';
    append_quoted(message, cell);
    message += " is not a UUID (8-4-4-4-12 hex digits)";
}

// The usual cell, empty with a default given, settled here; any other goes
// to resolve_id_cell.
void resolve_id(std::string_view raw, const std::optional<uuid>& fallback, std::string_view what,
                std::string_view option, std::string& id, std::string& message) {
    if (raw.empty() && fallback)
        take_default(*fallback, id);
    else
        resolve_id_cell(raw, fallback, what, option, id, message);
}

}  // namespace

void validate(const row_cells& cells, const defaults& defs, validated_row& out) {
    out.message.clear();
    if (auto e = normalize_profile_url(cells.url, out.normalized_url)) out.message.assign(describe(*e));
    resolve_id(cells.campaign, defs.campaign, "campaign id", "--campaign", out.campaign_id, out.message);
    resolve_id(cells.list, defs.list, "prospect list id", "--list", out.list_id, out.message);
    switch (parse_move_flag(cells.move)) {
    case flag_parse::yes: out.move = true; break;
    case flag_parse::no: out.move = false; break;
    case flag_parse::empty: out.move = defs.move; break;
    case flag_parse::invalid:
        out.move = defs.move;
        begin_reason(out.message);
        out.message += "move duplicates cell ";
        append_quoted(out.message, trim_cell_inline(cells.move));
        out.message += " is not true/false, yes/no or 1/0";
        break;
    }
}

}  // namespace prospect::lead
