// Field names and the header alias table of docs/contract.md "Columns".
#include "prospect/csv/field.hpp"

#include <array>

namespace prospect::csv {
namespace {

constexpr std::array<std::string_view, field_count> names{"url", "campaign", "list", "move"};

constexpr std::array<std::string_view, 8> url_aliases{
    "prospectProfileUrl", "profileUrl", "linkedinUrl", "LinkedIn URL",
    "LinkedIn Profile URL", "LinkedIn Profile", "Person Linkedin Url", "url"};
constexpr std::array<std::string_view, 3> campaign_aliases{"campaignId", "Campaign ID", "campaign"};
constexpr std::array<std::string_view, 4> list_aliases{"prospectListId", "Prospect List ID",
                                                       "listId", "list"};
constexpr std::array<std::string_view, 2> move_aliases{"moveDuplicatedProspect", "move duplicates"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view to_string(field f) { return names[static_cast<std::size_t>(f)]; }

std::optional<field> field_from_string(std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (name.size() != names[i].size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < name.size() && same; ++k) same = lower(name[k]) == names[i][k];
        if (same) return static_cast<field>(i);
    }
    return std::nullopt;
}

std::span<const std::string_view> header_aliases(field f) {
    switch (f) {
    case field::url: return url_aliases;
    case field::campaign: return campaign_aliases;
    case field::list: return list_aliases;
    case field::move: return move_aliases;
    }
    return {};
}

std::string normalize_header(std::string_view header) {
    std::string key;
    key.reserve(header.size());
    for (char c : header)
        if (c != ' ' && c != '_' && c != '-') key.push_back(lower(c));
    return key;
}

}  // namespace prospect::csv
