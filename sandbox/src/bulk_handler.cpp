// A URL is checked only after those before it in the request are applied,
// so a URL sent twice in one request is added once and then skipped as a
// same-list repeat, and the URL limit counts the URLs added just before.
#include "prospect/sandbox/bulk_handler.hpp"

#include "prospect/lead/profile_url.hpp"
#include "prospect/text/json_escape.hpp"

namespace prospect::sandbox {
namespace {

constexpr std::string_view bulk_prefix = "/client/v2/prospect-list/";
constexpr std::string_view bulk_suffix = "/add-users-to-list";
constexpr std::string_view normalized_origin = "https://www.linkedin.com";

void append_urls(std::string& out, const std::vector<std::string>& urls) {
    out += '[';
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if (i) out += ',';
        text::append_json_string(out, urls[i]);
    }
    out += ']';
}

}  // namespace

std::optional<std::string_view> bulk_path_list_id(std::string_view path) noexcept {
    if (!path.starts_with(bulk_prefix) || !path.ends_with(bulk_suffix)) return std::nullopt;
    if (path.size() <= bulk_prefix.size() + bulk_suffix.size()) return std::nullopt;
    auto id = path.substr(bulk_prefix.size(), path.size() - bulk_prefix.size() - bulk_suffix.size());
    if (id.find('/') != std::string_view::npos) return std::nullopt;
    return id;
}

bulk_adder::bulk_adder(store& prospects, store_log* log, const foreign_prospects& foreign, const bulk_params& params)
    : store_(prospects), log_(log), foreign_(foreign), params_(params) {}

const bulk_result& bulk_adder::add(std::size_t key, const bulk_body& body) {
    result_ = {};
    one_.campaign_id = body.campaign_id;
    one_.prospect_list_id = body.list_id;
    one_.move_duplicated = body.move_own_duplicated;
    for (const auto& url : body.user_urls) {
        if (lead::normalize_profile_url(url, one_.profile_url)) {
            result_.validation_rejected.push_back(url);
            continue;
        }
        // Another user's prospect is never moved, whatever moveOwnDuplicated says.
        if (foreign_.contains(one_.profile_url)) {
            existed_in(foreign_campaign_id, echo(url));
            continue;
        }
        if (params_.url_limit && !store_.find(key, one_.profile_url) && store_.count(key) >= *params_.url_limit) {
            result_.out_of_limit.push_back(echo(url));
            continue;
        }
        if (log_) log_->stage(key, one_);
        switch (store_.add(key, one_)) {
        case add_status::added:
        case add_status::moved: result_.submitted.push_back(echo(url)); break;
        case add_status::already_in_list: break;
        case add_status::duplicate: existed_in(store_.existing().campaign_id, echo(url)); break;
        }
    }
    // One write for the request, before it is answered: a restart never forgets what was answered 200.
    if (log_) log_->flush();
    return result_;
}

std::string bulk_adder::echo(std::string_view as_sent) const {
    if (!params_.echo_variant) return std::string(as_sent);
    // one_.profile_url is the URL's normalized form: https://www.linkedin.com/in/<slug>.
    return "http://linkedin.com" + one_.profile_url.substr(normalized_origin.size()) + "/";
}

void bulk_adder::existed_in(std::string_view campaign, std::string url) {
    for (auto& [id, urls] : result_.existed) {
        if (id == campaign) {
            urls.push_back(std::move(url));
            return;
        }
    }
    result_.existed.emplace_back(std::string(campaign), std::vector<std::string>{std::move(url)});
}

void bulk_adder::write_answer(std::string& out, std::string_view list_id) const {
    out.clear();
    out += "{\"status\":\"success\",\"data\":{\"listId\":";
    text::append_json_string(out, list_id);
    out += ",\"submittedUrls\":";
    append_urls(out, result_.submitted);
    out += ",\"validationRejectedUrls\":";
    append_urls(out, result_.validation_rejected);
    out += ",\"existedUrlsMap\":{";
    for (std::size_t i = 0; i < result_.existed.size(); ++i) {
        if (i) out += ',';
        text::append_json_string(out, result_.existed[i].first);
        out += ':';
        append_urls(out, result_.existed[i].second);
    }
    out += "},\"outOfLimitUrls\":";
    append_urls(out, result_.out_of_limit);
    auto limit = std::to_string(params_.url_limit.value_or(0));
    out += ",\"totalUrlsLimit\":";
    out += limit;
    out += ",\"perMonthUrlsLimit\":";
    out += limit;
    out += "},\"message\":\"Operation completed successfully\"}";
}

}  // namespace prospect::sandbox
