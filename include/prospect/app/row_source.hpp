// The front of every run: CSV records in, rows out, each either ready to
// send (valid, first of its key) or already settled as invalid or duplicate.
// Shared by the dry run and the live import so that both judge rows alike.
#pragma once

#include "prospect/app/config.hpp"
#include "prospect/csv/record_reader.hpp"
#include "prospect/lead/deduper.hpp"
#include "prospect/lead/validate.hpp"
#include "prospect/policy/outcome.hpp"

#include <optional>
#include <string>

namespace prospect::app {

struct source_row {
    std::size_t row = 0;
    std::string profile_url;                 // the url cell as read
    lead::validated_row lead;
    std::optional<policy::outcome> settled;  // invalid or duplicate: final, never sent
    std::string message;                     // why it is settled
};

class row_source {
public:
    // Opens the input and reads its header. Throws fatal_error (exit 2) when
    // a row could never get a campaign or list (no column and no default).
    explicit row_source(const config& cfg);

    // Fills `out` (its buffers are reused) with the next data row.
    bool next(source_row& out);

    csv::record_reader& reader() { return reader_; }
    const csv::record_reader& reader() const { return reader_; }
    std::size_t duplicate_keys() const { return deduper_.size(); }

private:
    csv::record_reader reader_;
    lead::defaults defaults_;
    lead::deduper deduper_;
    csv::record record_;
};

}  // namespace prospect::app
