// The final word on a row, as the report, the journal and the exit status
// see it (docs/contract.md, "The per-row report").
#pragma once

#include <string_view>

namespace prospect::policy {

enum class outcome : unsigned char { added, rejected, invalid, duplicate, failed, not_sent };

inline constexpr outcome all_outcomes[] = {outcome::added,     outcome::rejected, outcome::invalid,
                                           outcome::duplicate, outcome::failed,   outcome::not_sent};

constexpr std::string_view to_string(outcome o) noexcept {
    switch (o) {
    case outcome::added: return "added";
    case outcome::rejected: return "rejected";
    case outcome::invalid: return "invalid";
    case outcome::duplicate: return "duplicate";
    case outcome::failed: return "failed";
    case outcome::not_sent: return "not_sent";
    }
    return "?";
}

// A resumed run never sends a row again whose outcome is final.
constexpr bool is_final(outcome o) noexcept { return o != outcome::failed && o != outcome::not_sent; }

}  // namespace prospect::policy
