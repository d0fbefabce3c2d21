// UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
#pragma once

#include <cstddef>
#include <string_view>

namespace prospect::text {

// Length of the well-formed sequence at the start of `s`, or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view s) noexcept;

bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace prospect::text
