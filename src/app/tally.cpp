// Outcomes with a zero count are left out of the summary to keep it short.
#include "prospect/app/tally.hpp"

#include <fmt/format.h>
#include <numeric>

namespace prospect::app {

using policy::outcome;

std::size_t tally::rows() const { return std::accumulate(counts_.begin(), counts_.end(), std::size_t{0}); }

int finished_exit_status(const tally& t, bool dry_run) {
    if (dry_run) return t.count(outcome::invalid) + t.count(outcome::duplicate) == 0 ? 0 : 1;
    if (t.count(outcome::failed) + t.count(outcome::not_sent) > 0) return 75;
    return t.count(outcome::added) == t.rows() ? 0 : 1;
}

std::string grouped(std::uint64_t n) {
    std::string digits = fmt::format("{}", n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string describe(const tally& t, bool dry_run) {
    std::string out = fmt::format("{} row{}", grouped(t.rows()), t.rows() == 1 ? "" : "s");
    const char* sep = ": ";
    auto item = [&](std::size_t n, std::string_view name) {
        if (n == 0) return;
        out += fmt::format("{}{} {}", sep, grouped(n), name);
        sep = ", ";
    };
    if (dry_run) {
        item(t.count(outcome::not_sent), "valid");
        item(t.count(outcome::invalid), "invalid");
        item(t.count(outcome::duplicate), "duplicate");
    } else {
        for (outcome o : policy::all_outcomes) item(t.count(o), policy::to_string(o));
    }
    return out;
}

}  // namespace prospect::app
