// The files a run writes must not be the file it reads: a report, journal or
// metrics file that names the input would overwrite the user's sheet.
#pragma once

#include "prospect/app/config.hpp"
#include "prospect/journal/run_lock.hpp"

#include <optional>
#include <string>

namespace prospect::app {

// Throws usage_error (exit 2) naming the option when --report, --journal or
// --metrics-file is the input itself (the same file, by device and inode).
void refuse_outputs_naming_input(const config& cfg);

// One run at a time writes a report or a journal: takes `path`'s lock or
// throws fatal_error (exit 4) naming the holder. Nothing for "" or "-".
std::optional<journal::run_lock> lock_output(const std::string& path);

}  // namespace prospect::app
