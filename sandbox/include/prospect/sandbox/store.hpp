// What the sandbox holds: per API key, each prospect (by normalized profile
// URL) with the list and campaign it is in and how many POSTs named it, and
// the duplicate rules of moveDuplicatedProspect. Pure: no I/O, no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace prospect::sandbox {

struct add_prospect_body {
    std::string profile_url;       // normalized https://www.linkedin.com/in/<slug>
    std::string campaign_id;       // lower-case UUID
    std::string prospect_list_id;  // lower-case UUID
    bool move_duplicated = false;
};

enum class add_status : unsigned char {
    added,            // new prospect (201)
    already_in_list,  // the same list again: accepted and counted (201)
    moved,            // was in another list, moveDuplicatedProspect true (201)
    duplicate,        // is in another list, moveDuplicatedProspect false (400)
};

struct stored_prospect {
    std::size_t key = 0;  // index of the API key that owns it
    std::string profile_url;
    std::string campaign_id;
    std::string prospect_list_id;
    std::uint64_t posts = 0;
};

class store {
public:
    explicit store(std::size_t key_count);

    // `key` indexes the accepted API keys. On `duplicate`, existing() names
    // where the prospect is.
    add_status add(std::size_t key, const add_prospect_body& body);
    const stored_prospect& existing() const { return prospects_[last_]; }

    // The prospect of `key` at normalized `profile_url`, or null.
    const stored_prospect* find(std::size_t key, std::string_view profile_url) const;
    // How many prospects `key` holds.
    std::size_t count(std::size_t key) const { return by_key_.at(key).size(); }

    // JSON array of {prospectProfileUrl, campaignId, prospectListId, posts},
    // in the order prospects were first added, appended to `out`.
    void append_json(std::string& out) const;

    const std::vector<stored_prospect>& prospects() const { return prospects_; }

private:
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    using index = std::unordered_map<std::string, std::size_t, string_hash, std::equal_to<>>;

    std::vector<index> by_key_;
    std::vector<stored_prospect> prospects_;
    std::size_t last_ = 0;
};

// The 400 message for a duplicate, naming the list it is already in.
std::string duplicate_message(const stored_prospect& existing);

}  // namespace prospect::sandbox
