// Case-insensitive match against the six accepted spellings.
#include "prospect/lead/move_flag.hpp"

#include "prospect/lead/cell.hpp"

namespace prospect::lead {

namespace {

bool iequals(std::string_view a, std::string_view lower_b) noexcept {
    if (a.size() != lower_b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower_b[i]) return false;
    }
    return true;
}

}  // namespace

flag_parse parse_move_flag(std::string_view cell) noexcept {
    std::string_view s = trim_cell(cell);
    if (s.empty()) return flag_parse::empty;
    if (iequals(s, "true") || iequals(s, "yes") || s == "1") return flag_parse::yes;
    if (iequals(s, "false") || iequals(s, "no") || s == "0") return flag_parse::no;
    return flag_parse::invalid;
}

}  // namespace prospect::lead
