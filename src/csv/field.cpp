// Field names and the header alias table of docs/contract.md "Columns".
#include "prospect/csv/field.hpp"

#include <array>

namespace prospect::csv {
namespace {

constexpr std::array<std::string_view, field_count> names{"url", "campaign", "list", "move"};

constexpr std::array<std::string_view, 14> url_aliases{
    "prospectProfileUrl",  "profileUrl",           "defaultProfileUrl",
    "linkedinUrl",         "linkedinProfileUrl",   "LinkedIn URL",
    "LinkedIn",            "LinkedIn Profile",     "LinkedIn Profile URL",
    "LinkedIn Contact Profile URL", "Person Linkedin Url", "Profile URL",
    "Profile",             "url"};
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

std::string alias_table_text() {
    std::string out;
    for (std::size_t i = 0; i < field_count; ++i) {
        const auto f = static_cast<field>(i);
        std::string line = "  " + std::string(to_string(f));
        line.resize(12, ' ');
        const std::size_t indent = line.size();
        bool first = true;
        for (auto alias : header_aliases(f)) {
            const std::size_t width = alias.size() + (first ? 0 : 2);
            if (!first && line.size() + width > 96) {
                out += line + ",\n";
                line.assign(indent, ' ');
                first = true;
            }
            if (!first) line += ", ";
            line += alias;
            first = false;
        }
        if (f == field::move) line += " (true/false, yes/no, 1/0)";
        out += line + "\n";
    }
    return out;
}

std::string normalize_header(std::string_view header) {
    std::string key;
    key.reserve(header.size());
    for (char c : header)
        if (c != ' ' && c != '_' && c != '-') key.push_back(lower(c));
    return key;
}

}  // namespace prospect::csv
