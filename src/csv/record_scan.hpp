// Framing's inner loop (private to src/csv): from where it left off to the
// record's unquoted line break or the end of the bytes read, 64 bytes a step
// without a branch a quote or a delimiter, noting only the delimiters whose
// offsets the mapped cells need and whether every quote sits where RFC 4180
// puts one. One loop a scan kind, chosen once.
#pragma once

#include "prospect/csv/stop_scan.hpp"

#include <cstddef>

namespace prospect::csv {

// One record's progress, carried across refills (offsets in the read buffer).
struct record_scan {
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t begin = 0;  // the record's first byte
    std::size_t at = 0;     // the next byte to look at
    // Unquoted delimiters before `at`; counting stops after the last wanted one.
    std::size_t delimiters = 0;
    // The numbers (from 0) of the delimiters to note, ascending, ending in `none`;
    // the offset (from `begin`) of each one found goes to *noted++.
    const std::size_t* wanted = nullptr;
    std::size_t* noted = nullptr;
    bool in_quotes = false;
    // Every quote so far opens a cell (right after a delimiter or the record's
    // start), closes one (right before a delimiter or line break) or is doubled
    // inside one: then no cell of the record has a quoting problem, and a cell
    // holds a quote only when it starts with one.
    bool plain_quotes = true;
    bool has_nul = false;
    // A closing quote was the last byte looked at: the next must be a stop.
    bool close_pending = false;
    // The last byte looked at was a delimiter or a quote: a quote may open after it.
    bool open_allowed = false;
};

// Scans from s.at; returns the offset of the unquoted CR or LF ending the
// record (s.at is then that offset), or record_scan::none with s.at == end
// when the bytes up to `end` hold none. `b` must have `end` readable bytes.
using record_scan_fn = std::size_t (*)(record_scan& s, const char* b, std::size_t end, char delimiter);

// The loop for `kind` (AVX2 only where the CPU has it, with PCLMUL and POPCNT).
record_scan_fn record_scan_for(scan_kind kind) noexcept;

}  // namespace prospect::csv
