// A rare request (a test or a bench changing the limit), so a parser a call
// and a padded copy of the body are fine here.
#include "prospect/sandbox/limit_body.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace prospect::sandbox {
namespace {

namespace od = simdjson::ondemand;

std::string not_json(simdjson::error_code e) {
    return std::string("the body is not valid JSON (") + simdjson::error_message(e) + ")";
}

std::string read_number(od::value& v, std::string_view name, double& out) {
    auto e = v.get_double().get(out);
    if (e == simdjson::INCORRECT_TYPE) return std::string(name) + " must be a number";
    if (e) return not_json(e);
    if (!std::isfinite(out) || out < 0) return std::string(name) + " must be a number >= 0";
    return {};
}

void append_number(std::string& out, double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

}  // namespace

rate_limit with_default_burst(rate_limit limit) noexcept {
    if (limit.rate <= 0) return {};
    // A bucket that cannot hold a whole token would admit nothing (token_bucket raises it too).
    limit.burst = std::max(1.0, limit.burst > 0 ? limit.burst : limit.rate);
    return limit;
}

std::string parse_limit_body(std::string_view body, rate_limit& out) {
    simdjson::padded_string padded(body);
    od::parser parser;
    od::document doc;
    if (auto e = parser.iterate(padded).get(doc)) return not_json(e);
    od::object obj;
    if (auto e = doc.get_object().get(obj))
        return e == simdjson::INCORRECT_TYPE ? "the body must be a JSON object such as {\"rate\": 5, \"burst\": 10}"
                                             : not_json(e);
    rate_limit limit;
    bool has_rate = false, has_burst = false;
    for (auto field : obj) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return not_json(e);
        od::value value;
        if (auto e = field.value().get(value)) return not_json(e);
        bool& seen = key == "rate" ? has_rate : has_burst;
        if (key != "rate" && key != "burst") return "unknown field \"" + std::string(key) + "\"";
        if (seen) return std::string(key) + " appears twice";
        seen = true;
        if (auto msg = read_number(value, key, key == "rate" ? limit.rate : limit.burst); !msg.empty()) return msg;
    }
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return "the body has content after the JSON object";
    if (!has_rate) return "rate is required (0: unlimited)";
    out = with_default_burst(limit);
    return {};
}

void append_limit_json(std::string& out, const rate_limit& limit) {
    out += "{\"rate\":";
    append_number(out, limit.rate);
    out += ",\"burst\":";
    append_number(out, limit.burst);
    out += '}';
}

}  // namespace prospect::sandbox
