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

// Copies a cell known to be plain. Cells of 4 to 64 bytes (URLs, ids,
// messages) are moved inline in at most four fixed-size pieces, the last
// ones overlapping those before, instead of a call to memcpy a cell; only
// bytes of the cell are read.
inline char* put(char* w, std::string_view s) noexcept {
    const char* p = s.data();
    const std::size_t n = s.size();
    if (n - 16 <= 48) {
        std::memcpy(w, p, 16);
        if (n > 32) {
            std::memcpy(w + 16, p + 16, 16);
            std::memcpy(w + n - 32, p + n - 32, 16);
        }
        std::memcpy(w + n - 16, p + n - 16, 16);
    } else if (n - 8 <= 7) {
        std::memcpy(w, p, 8);
        std::memcpy(w + n - 8, p + n - 8, 8);
    } else if (n - 4 <= 3) {
        std::memcpy(w, p, 4);
        std::memcpy(w + n - 4, p + n - 4, 4);
    } else if (n != 0) {  // an empty view's data() may be null: no memcpy from it
        std::memcpy(w, p, n);
    }
    return w + n;
}

}  // namespace prospect::report
