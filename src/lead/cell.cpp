// Cell trimming shared by URL, UUID and flag parsing.
#include "prospect/lead/cell.hpp"

namespace prospect::lead {

namespace {

constexpr std::string_view nbsp = "\xC2\xA0";

bool is_ascii_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

std::string_view trim_cell(std::string_view s) noexcept {
    for (;;) {
        if (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
        else if (s.starts_with(nbsp)) s.remove_prefix(nbsp.size());
        else break;
    }
    for (;;) {
        if (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
        else if (s.ends_with(nbsp)) s.remove_suffix(nbsp.size());
        else break;
    }
    return s;
}

}  // namespace prospect::lead
