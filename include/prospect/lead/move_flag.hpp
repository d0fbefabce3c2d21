// The moveDuplicatedProspect cell: the spellings spreadsheets write for a
// boolean (Excel writes TRUE/FALSE).
#pragma once

#include <string_view>

namespace prospect::lead {

enum class flag_parse : unsigned char { yes, no, empty, invalid };

// true/false, yes/no, 1/0 in any case, surrounding white space ignored;
// `empty` means the row takes the default.
flag_parse parse_move_flag(std::string_view cell) noexcept;

}  // namespace prospect::lead
