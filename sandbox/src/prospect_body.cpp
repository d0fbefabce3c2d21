// simdjson On-Demand over the request's own buffer (padded in place, so no
// copy); one parser reused for every request of the server.
#include "prospect/sandbox/prospect_body.hpp"

#include "prospect/lead/profile_url.hpp"
#include "prospect/lead/uuid.hpp"

#include <simdjson.h>

namespace prospect::sandbox {
namespace {

namespace od = simdjson::ondemand;

constexpr unsigned list_bit = 1, url_bit = 2, campaign_bit = 4, move_bit = 8;

std::string not_json(simdjson::error_code e) {
    return std::string("the body is not valid JSON (") + simdjson::error_message(e) + ")";
}

std::string read_string(od::value& v, std::string_view name, std::string_view& s) {
    auto e = v.get_string().get(s);
    if (e == simdjson::INCORRECT_TYPE) return std::string(name) + " must be a string";
    if (e) return not_json(e);
    return {};
}

std::string read_uuid(od::value& v, std::string_view name, std::string& out) {
    std::string_view s;
    if (auto msg = read_string(v, name, s); !msg.empty()) return msg;
    auto id = lead::parse_uuid(s);
    if (!id) return std::string(name) + " must be a UUID (8-4-4-4-12 hexadecimal digits)";
    out.assign(id->view());
    return {};
}

}  // namespace

struct prospect_body_parser::impl {
    od::parser parser;
};

prospect_body_parser::prospect_body_parser() : impl_(std::make_unique<impl>()) {}
prospect_body_parser::~prospect_body_parser() = default;

std::string prospect_body_parser::parse(std::string& body, add_prospect_body& out) {
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
        unsigned bit = key == "prospectListId"           ? list_bit
                       : key == "prospectProfileUrl"     ? url_bit
                       : key == "campaignId"             ? campaign_bit
                       : key == "moveDuplicatedProspect" ? move_bit
                                                         : 0;
        if (!bit) return "unknown field \"" + std::string(key) + "\"";
        if (seen & bit) return std::string(key) + " appears twice";
        seen |= bit;
        std::string msg;
        switch (bit) {
        case list_bit: msg = read_uuid(value, "prospectListId", out.prospect_list_id); break;
        case campaign_bit: msg = read_uuid(value, "campaignId", out.campaign_id); break;
        case url_bit: {
            std::string_view s;
            msg = read_string(value, "prospectProfileUrl", s);
            if (msg.empty())
                if (auto err = lead::normalize_profile_url(s, out.profile_url))
                    msg = "prospectProfileUrl is not a LinkedIn member profile URL: " + std::string(lead::describe(*err));
            break;
        }
        case move_bit: {
            auto e = value.get_bool().get(out.move_duplicated);
            if (e == simdjson::INCORRECT_TYPE) msg = "moveDuplicatedProspect must be a boolean";
            else if (e) msg = not_json(e);
            break;
        }
        }
        if (!msg.empty()) return msg;
    }
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return "the body has content after the JSON object";
    static constexpr std::pair<unsigned, const char*> required[] = {
        {list_bit, "prospectListId"}, {url_bit, "prospectProfileUrl"}, {campaign_bit, "campaignId"},
        {move_bit, "moveDuplicatedProspect"}};
    for (auto [bit, name] : required)
        if (!(seen & bit)) return std::string(name) + " is required";
    return {};
}

}  // namespace prospect::sandbox
