// Counting outcomes, and what the counts mean: the exit status and the
// summary paragraph. Pure.
#pragma once

#include "prospect/policy/outcome.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace prospect::app {

class tally {
public:
    void add(policy::outcome o) { ++counts_[static_cast<std::size_t>(o)]; }
    std::size_t count(policy::outcome o) const { return counts_[static_cast<std::size_t>(o)]; }
    std::size_t rows() const;

private:
    std::array<std::size_t, std::size(policy::all_outcomes)> counts_{};
};

// A run that went to its end: 0 when every row is what a clean run gives
// (added; in a dry run: valid and first of its key), 75 when some rows are
// failed or not_sent (a later run sends them), else 1 (a person reads the
// report). A header with no rows is a clean run.
int finished_exit_status(const tally& t, bool dry_run);

// "12,345": digits grouped in threes, as the summary and the progress line write counts.
std::string grouped(std::uint64_t n);

// "1,000 rows: 990 valid, 7 invalid, 3 duplicate" (dry run) or
// "1000 rows: 990 added, 2 rejected, ..." (only outcomes that occurred).
std::string describe(const tally& t, bool dry_run);

}  // namespace prospect::app
