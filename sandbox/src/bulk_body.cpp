// simdjson On-Demand over the request's own buffer, as prospect_body.cpp
// does for the single endpoint, with the same wording of its messages.
#include "prospect/sandbox/bulk_body.hpp"

#include "prospect/lead/uuid.hpp"

#include <simdjson.h>

namespace prospect::sandbox {
namespace {

namespace od = simdjson::ondemand;

constexpr unsigned list_bit = 1, campaign_bit = 2, urls_bit = 4, move_bit = 8, inactive_bit = 16;

std::string not_json(simdjson::error_code e) {
    return std::string("the body is not valid JSON (") + simdjson::error_message(e) + ")";
}

std::string read_uuid(od::value& v, std::string_view name, std::string& out) {
    std::string_view s;
    auto e = v.get_string().get(s);
    if (e == simdjson::INCORRECT_TYPE) return std::string(name) + " must be a string";
    if (e) return not_json(e);
    auto id = lead::parse_uuid(s);
    if (!id) return std::string(name) + " must be a UUID (8-4-4-4-12 hexadecimal digits)";
    out.assign(id->view());
    return {};
}

std::string read_bool(od::value& v, std::string_view name, bool& out) {
    auto e = v.get_bool().get(out);
    if (e == simdjson::INCORRECT_TYPE) return std::string(name) + " must be a boolean";
    if (e) return not_json(e);
    return {};
}

std::string read_urls(od::value& v, std::vector<std::string>& out) {
    od::array urls;
    auto e = v.get_array().get(urls);
    if (e == simdjson::INCORRECT_TYPE) return "userUrls must be an array of strings";
    if (e) return not_json(e);
    std::size_t n = 0;
    for (auto item : urls) {
        std::string_view s;
        e = item.get_string().get(s);
        auto at = "userUrls[" + std::to_string(n) + "]";
        if (e == simdjson::INCORRECT_TYPE) return at + " must be a string";
        if (e) return not_json(e);
        if (s.empty()) return at + " must not be empty";
        if (n == out.size()) out.emplace_back();
        out[n++].assign(s);
    }
    out.resize(n);
    if (n == 0) return "userUrls must hold at least one URL";
    return {};
}

}  // namespace

struct bulk_body_parser::impl {
    od::parser parser;
};

bulk_body_parser::bulk_body_parser() : impl_(std::make_unique<impl>()) {}
bulk_body_parser::~bulk_body_parser() = default;

std::string bulk_body_parser::parse(std::string& body, bulk_body& out) {
    body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    simdjson::padded_string_view view(body.data(), body.size(), body.capacity());
    od::document doc;
    if (auto e = impl_->parser.iterate(view).get(doc)) return not_json(e);
    od::object obj;
    if (auto e = doc.get_object().get(obj))
        return e == simdjson::INCORRECT_TYPE ? "the body must be a JSON object" : not_json(e);

    unsigned seen = 0;
    for (auto field : obj) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return not_json(e);
        od::value value;
        if (auto e = field.value().get(value)) return not_json(e);
        unsigned bit = key == "listId"                      ? list_bit
                       : key == "campaignId"                ? campaign_bit
                       : key == "userUrls"                  ? urls_bit
                       : key == "moveOwnDuplicated"         ? move_bit
                       : key == "shouldBeDeletedIfInactive" ? inactive_bit
                                                            : 0;
        if (!bit) return "unknown field \"" + std::string(key) + "\"";
        if (seen & bit) return std::string(key) + " appears twice";
        seen |= bit;
        std::string msg;
        switch (bit) {
        case list_bit: msg = read_uuid(value, "listId", out.list_id); break;
        case campaign_bit: msg = read_uuid(value, "campaignId", out.campaign_id); break;
        case urls_bit: msg = read_urls(value, out.user_urls); break;
        case move_bit: msg = read_bool(value, "moveOwnDuplicated", out.move_own_duplicated); break;
        case inactive_bit: msg = read_bool(value, "shouldBeDeletedIfInactive", out.delete_if_inactive); break;
        }
        if (!msg.empty()) return msg;
    }
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return "the body has content after the JSON object";
    static constexpr std::pair<unsigned, const char*> required[] = {{list_bit, "listId"},
                                                                    {campaign_bit, "campaignId"},
                                                                    {urls_bit, "userUrls"},
                                                                    {move_bit, "moveOwnDuplicated"},
                                                                    {inactive_bit, "shouldBeDeletedIfInactive"}};
    for (auto [bit, name] : required)
        if (!(seen & bit)) return std::string(name) + " is required";
    return {};
}

}  // namespace prospect::sandbox
