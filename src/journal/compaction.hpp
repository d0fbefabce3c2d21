// Rewriting a journal with one entry a key (private to src/journal).
#pragma once

#include "prospect/journal/journal_file.hpp"

namespace prospect::journal::detail {

// Writes the latest entry of each key of the journal open as `fd` to a
// temporary file, syncs it, renames it over the journal and syncs the
// directory: a crash at any point leaves the old journal or the new one,
// each whole. `fd` still reads the old file afterwards; reopen the path.
compaction_result compact(int fd, const journal_file_params& params, const journal_index& index,
                          std::uint64_t bytes_before);

}  // namespace prospect::journal::detail
