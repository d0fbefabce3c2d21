// A list belongs to one campaign, so a prospect's place is the pair
// (campaign, list): the same list under another campaign is another place.
#include "prospect/sandbox/store.hpp"

#include "prospect/text/json_escape.hpp"

namespace prospect::sandbox {

store::store(std::size_t key_count) : by_key_(key_count) {}

add_status store::add(std::size_t key, const add_prospect_body& body) {
    auto& idx = by_key_.at(key);
    auto it = idx.find(std::string_view(body.profile_url));
    if (it == idx.end()) {
        last_ = prospects_.size();
        prospects_.push_back({key, body.profile_url, body.campaign_id, body.prospect_list_id, 1});
        idx.emplace(body.profile_url, last_);
        return add_status::added;
    }
    last_ = it->second;
    auto& p = prospects_[last_];
    ++p.posts;
    if (p.prospect_list_id == body.prospect_list_id && p.campaign_id == body.campaign_id)
        return add_status::already_in_list;
    if (!body.move_duplicated) return add_status::duplicate;
    p.campaign_id = body.campaign_id;
    p.prospect_list_id = body.prospect_list_id;
    return add_status::moved;
}

const stored_prospect* store::find(std::size_t key, std::string_view profile_url) const {
    auto& idx = by_key_.at(key);
    auto it = idx.find(profile_url);
    return it == idx.end() ? nullptr : &prospects_[it->second];
}

void store::append_json(std::string& out) const {
    out += '[';
    for (std::size_t i = 0; i < prospects_.size(); ++i) {
        auto& p = prospects_[i];
        if (i) out += ',';
        out += "{\"prospectProfileUrl\":";
        text::append_json_string(out, p.profile_url);
        out += ",\"campaignId\":";
        text::append_json_string(out, p.campaign_id);
        out += ",\"prospectListId\":";
        text::append_json_string(out, p.prospect_list_id);
        out += ",\"posts\":";
        out += std::to_string(p.posts);
        out += '}';
    }
    out += ']';
}

std::string duplicate_message(const stored_prospect& existing) {
    return "prospect " + existing.profile_url + " already exists in prospect list " + existing.prospect_list_id +
           " of campaign " + existing.campaign_id + "; send moveDuplicatedProspect: true to move it";
}

}  // namespace prospect::sandbox
