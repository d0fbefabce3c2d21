// One cell of the CSV report: whether it can be copied as it is, and writing
// it when it cannot (RFC 4180 quoting, a ' before what a spreadsheet would
// run as a formula, U+FFFD for bytes that are not UTF-8: docs/contract.md).
// Cells are written into room the caller made, not appended to a string.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace prospect::report {

// No delimiter, quote or line break, no formula prefix, and valid UTF-8:
// write_cell() would copy it unchanged.
bool cell_is_plain(std::string_view cell) noexcept;

// The most bytes write_cell() writes for a cell of `size` bytes: a byte may
// become three (U+FFFD), plus two quotes and the formula guard.
constexpr std::size_t cell_bound(std::size_t size) noexcept { return 3 * size + 3; }

// Writes `cell` as one CSV field at `w`, which has room for
// cell_bound(cell.size()) bytes, and returns the end of what it wrote.
char* write_cell(char* w, std::string_view cell) noexcept;

// Copies a cell known to be plain.
inline char* put(char* w, std::string_view s) noexcept {
    if (s.empty()) return w;  // an empty view's data() may be null: no memcpy from it
    std::memcpy(w, s.data(), s.size());
    return w + s.size();
}

}  // namespace prospect::report
