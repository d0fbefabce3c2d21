// The v2 bulk endpoint's 200 answer read into one outcome per row of the
// batch (docs/contract.md, "Bulk endpoint"), matching the URLs it echoes by their
// normalized form. A malformed answer is an error value, never an exception.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prospect/policy/outcome.hpp"

namespace prospect::net {

// Where a row's URL was found in the answer; a later enumerator wins when the
// answer names a URL in several places (the worst case for the row counts:
// a row called added that the API did not store would never be sent again,
// while a not_sent row is sent again by the next run).
enum class bulk_placement : unsigned char {
    unlisted,      // in no array: already in this list -> added
    submitted,     // submittedUrls -> added
    existed,       // existedUrlsMap -> rejected
    rejected,      // validationRejectedUrls -> rejected
    out_of_limit,  // outOfLimitUrls -> not_sent
};

struct bulk_row_answer {
    policy::outcome result = policy::outcome::added;
    bulk_placement placement = bulk_placement::unlisted;
    std::string message;  // empty for submitted
};

struct bulk_answer {
    // One per URL sent, in the same order; empty when problem is set.
    std::vector<bulk_row_answer> rows;
    // outOfLimitUrls was not empty: send no further batch, stop the run (exit 75).
    bool out_of_limit = false;
    // "the plan's URL limit is reached (...)", with the answer's limits; the
    // message of out-of-limit rows, and of the rows left unsent.
    std::string limit_message;
    // Why the answer could not be read (not JSON, no data, wrong types):
    // the batch failed as a whole and may be sent again. Empty when read.
    std::string problem;
    bool ok() const noexcept { return problem.empty(); }
};

class bulk_answer_parser {
public:
    bulk_answer_parser();
    ~bulk_answer_parser();
    bulk_answer_parser(const bulk_answer_parser&) = delete;
    bulk_answer_parser& operator=(const bulk_answer_parser&) = delete;

    // Reads a 200 answer to the batch whose rows sent `sent` (normalized
    // URLs, in row order) into `out`, reusing its storage. Returns out.ok().
    // An echoed URL that does not normalize, or matches no row, is ignored;
    // rows sharing a URL get the same answer.
    bool parse(std::string_view body, std::span<const std::string_view> sent, bulk_answer& out);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace prospect::net
