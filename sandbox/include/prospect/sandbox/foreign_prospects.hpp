// --foreign-prospects: profile URLs that already belong to another user's
// lists, which the API never adds nor moves for this user (the bulk endpoint
// reports them in existedUrlsMap, the single endpoint answers 400).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace prospect::sandbox {

// The campaign existedUrlsMap names for a foreign prospect (the other user's
// campaign is not this user's to see; one fixed id stands for it).
inline constexpr std::string_view foreign_campaign_id = "f0e1f0e1-0000-4000-8000-000000000000";

class foreign_prospects {
public:
    foreign_prospects() = default;
    // One URL a line, in any form the importer accepts; blank lines and
    // lines starting with '#' are skipped. Throws std::runtime_error naming
    // the file (and the line whose URL is not a member profile URL).
    explicit foreign_prospects(const std::string& path);

    // `profile_url` normalized (lead::normalize_profile_url).
    bool contains(std::string_view profile_url) const;
    std::size_t size() const noexcept { return urls_.size(); }

private:
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_set<std::string, string_hash, std::equal_to<>> urls_;
};

}  // namespace prospect::sandbox
