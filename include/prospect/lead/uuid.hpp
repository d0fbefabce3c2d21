// campaignId / prospectListId: the 8-4-4-4-12 hex form only, kept in lower
// case (docs/contract.md; the sandbox validates request bodies with it too).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace prospect::lead {

struct uuid {
    std::array<char, 36> text;  // lower-case hex with hyphens at 8, 13, 18, 23
    std::string_view view() const noexcept { return {text.data(), text.size()}; }
    friend bool operator==(const uuid&, const uuid&) = default;
};

// Exactly 36 characters, hex case-insensitive; no braces, no "urn:uuid:", no
// 32-digit form, no surrounding white space (callers trim cells first).
std::optional<uuid> parse_uuid(std::string_view s) noexcept;

}  // namespace prospect::lead
