// Case-insensitive match against the six accepted spellings.
#include "prospect/lead/move_flag.hpp"

#include "prospect/lead/cell.hpp"
#include "prospect/text/ascii.hpp"

namespace prospect::lead {

flag_parse parse_move_flag(std::string_view cell) noexcept {
    std::string_view s = trim_cell_inline(cell);
    if (s.empty()) return flag_parse::empty;
    if (text::iequals(s, "true") || text::iequals(s, "yes") || s == "1") return flag_parse::yes;
    if (text::iequals(s, "false") || text::iequals(s, "no") || s == "0") return flag_parse::no;
    return flag_parse::invalid;
}

}  // namespace prospect::lead
