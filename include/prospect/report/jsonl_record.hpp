// The JSONL report's records, written into room the caller made, as the CSV
// report's are (csv_record.hpp): one object a line, the same fields.
#pragma once

#include "prospect/report/row_result.hpp"
#include "prospect/text/json_escape.hpp"

#include <cstddef>
#include <string_view>

namespace prospect::report {

class jsonl_record_writer {
public:
    // The most bytes write() may touch for `r`: its strings at their worst
    // (json_escape.hpp), the keys and punctuation, the outcome and move flag
    // and three numbers of up to 20 digits.
    static constexpr std::size_t bound(const row_result& r) noexcept {
        using text::json_string_bound;
        return fixed_bound + json_string_bound(r.profile_url.size()) + json_string_bound(r.normalized_url.size()) +
               json_string_bound(r.campaign_id.size()) + json_string_bound(r.prospect_list_id.size()) +
               json_string_bound(r.message.size());
    }

    // Writes r's object and a newline at `w`, which has room for bound(r)
    // bytes; returns the end of the line.
    static char* write(char* w, const row_result& r) noexcept;

    // The keys, punctuation, outcome, move flag and numbers at their longest
    // fit in this (checked in jsonl_record.cpp).
    static constexpr std::size_t fixed_bound = 256;
};

}  // namespace prospect::report
