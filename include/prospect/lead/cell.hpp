// What "surrounding white space is ignored" means for every lead cell.
#pragma once

#include <string_view>

namespace prospect::lead {

// `s` without leading and trailing white space: ASCII white space, the
// Unicode spaces (U+00A0 no-break, U+2000-U+200A, U+202F, U+205F, U+3000)
// and the invisible characters that copying from web pages brings along
// (U+200B zero-width space, U+200E/U+200F direction marks, U+2060 word
// joiner, U+FEFF byte order mark). Kept inside a cell, they would end up
// percent-encoded in a slug and silently denote another profile.
std::string_view trim_cell(std::string_view s) noexcept;

// trim_cell, with the usual cells (empty, or printable ASCII at both ends:
// nothing to trim) settled without a call.
inline std::string_view trim_cell_inline(std::string_view s) noexcept {
    auto plain = [](char c) { return static_cast<unsigned char>(c - 0x21) < 0x5F; };
    if (s.empty() || (plain(s.front()) && plain(s.back()))) return s;
    return trim_cell(s);
}

}  // namespace prospect::lead
