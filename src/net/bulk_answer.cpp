// Bulk answer reading with simdjson's DOM parser, kept across batches so its
// buffers are reused. The rows are looked up through their indices sorted by
// URL (no allocation once the batch size has been seen), and every array is
// checked before any row is given an outcome from it, so a malformed answer
// leaves no row half-answered.
#include "prospect/net/bulk_answer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "prospect/lead/profile_url.hpp"
#include "prospect/net/response.hpp"

namespace prospect::net {
namespace {

using policy::outcome;

// Bytes of a campaign id kept in a row's message (a UUID takes 36).
constexpr std::size_t max_campaign_bytes = 100;

bool is_string_array(simdjson::dom::element e) {
    simdjson::dom::array items;
    if (e.get_array().get(items) != simdjson::SUCCESS) return false;
    for (simdjson::dom::element item : items)
        if (!item.is_string()) return false;
    return true;
}

// Appends a number of the answer as written; false if it is not a number.
bool append_number(std::string& out, simdjson::dom::element e) {
    char digits[32];
    std::to_chars_result r{};
    if (std::int64_t i; e.get_int64().get(i) == simdjson::SUCCESS)
        r = std::to_chars(digits, digits + sizeof digits, i);
    else if (std::uint64_t u; e.get_uint64().get(u) == simdjson::SUCCESS)
        r = std::to_chars(digits, digits + sizeof digits, u);
    else if (double d; e.get_double().get(d) == simdjson::SUCCESS)
        r = std::to_chars(digits, digits + sizeof digits, d);
    else
        return false;
    out.append(digits, r.ptr);
    return true;
}

void describe_limits(std::string& out, simdjson::dom::object data) {
    out.assign("the plan's URL limit is reached");
    const std::size_t bare = out.size();
    auto limit = [&](std::string_view field, std::string_view unit) {
        simdjson::dom::element value;
        if (data[field].get(value) != simdjson::SUCCESS) return;
        const std::size_t before = out.size();
        out.append(out.size() == bare ? " (" : ", ");
        if (append_number(out, value))
            out.append(unit);
        else
            out.resize(before);
    };
    limit("totalUrlsLimit", " URLs in all");
    limit("perMonthUrlsLimit", " URLs a month");
    if (out.size() != bare) out.push_back(')');
}

}  // namespace

struct bulk_answer_parser::impl {
    simdjson::dom::parser parser;
    std::vector<std::uint32_t> by_url;  // row indices sorted by their URL
    std::string normalized;             // an echoed URL, normalized

    bool fail(bulk_answer& out, std::string_view why) {
        out.rows.clear();
        out.out_of_limit = false;
        out.limit_message.clear();
        out.problem.assign(why);
        return false;
    }

    // Gives every row whose URL the echoed one normalizes to this placement,
    // unless it already holds a worse one.
    void place(std::string_view echoed, bulk_placement where, std::string_view campaign,
               std::span<const std::string_view> sent, bulk_answer& out) {
        if (lead::normalize_profile_url(echoed, normalized)) return;
        auto [first, last] = std::equal_range(
            by_url.begin(), by_url.end(), std::string_view(normalized),
            [&](auto a, auto b) { return key(a, sent) < key(b, sent); });
        for (auto it = first; it != last; ++it) {
            bulk_row_answer& row = out.rows[*it];
            if (row.placement >= where) continue;
            row.placement = where;
            row.message.clear();
            switch (where) {
            case bulk_placement::unlisted:
            case bulk_placement::submitted: row.result = outcome::added; break;
            case bulk_placement::existed:
                row.result = outcome::rejected;
                row.message.append("already a prospect in campaign ");
                append_sanitized(row.message, campaign, max_campaign_bytes);
                row.message.append(", not moved");
                break;
            case bulk_placement::rejected:
                row.result = outcome::rejected;
                row.message.assign("the API rejected the URL");
                break;
            case bulk_placement::out_of_limit:
                row.result = outcome::not_sent;
                row.message.assign(out.limit_message);
                break;
            }
        }
    }

    void place_all(simdjson::dom::array urls, bulk_placement where, std::string_view campaign,
                   std::span<const std::string_view> sent, bulk_answer& out) {
        for (simdjson::dom::element url : urls) place(url.get_string().value_unsafe(), where, campaign, sent, out);
    }

    static std::string_view key(std::uint32_t index, std::span<const std::string_view> sent) { return sent[index]; }
    static std::string_view key(std::string_view url, std::span<const std::string_view>) { return url; }
};

bulk_answer_parser::bulk_answer_parser() : impl_(std::make_unique<impl>()) {}
bulk_answer_parser::~bulk_answer_parser() = default;

bool bulk_answer_parser::parse(std::string_view body, std::span<const std::string_view> sent, bulk_answer& out) {
    impl& s = *impl_;
    simdjson::dom::element root;
    if (s.parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS)
        return s.fail(out, "the answer to the batch is not JSON");
    simdjson::dom::object envelope;
    if (root.get_object().get(envelope) != simdjson::SUCCESS)
        return s.fail(out, "the answer to the batch is not a JSON object");
    if (simdjson::dom::element status; envelope["status"].get(status) == simdjson::SUCCESS) {
        std::string_view text;
        if (status.get_string().get(text) != simdjson::SUCCESS || text != "success")
            return s.fail(out, "the answer to the batch does not have \"status\": \"success\"");
    }
    simdjson::dom::object data;
    if (envelope["data"].get_object().get(data) != simdjson::SUCCESS)
        return s.fail(out, "the answer to the batch has no \"data\" object");

    // A missing array is not taken as empty: its URLs would end added and
    // never be sent again, where a failed batch is sent again by a later run.
    simdjson::dom::element submitted, rejected, out_of_limit, existed;
    if (data["submittedUrls"].get(submitted) != simdjson::SUCCESS || !is_string_array(submitted))
        return s.fail(out, "\"data.submittedUrls\" of the answer is not an array of strings");
    if (data["validationRejectedUrls"].get(rejected) != simdjson::SUCCESS || !is_string_array(rejected))
        return s.fail(out, "\"data.validationRejectedUrls\" of the answer is not an array of strings");
    if (data["outOfLimitUrls"].get(out_of_limit) != simdjson::SUCCESS || !is_string_array(out_of_limit))
        return s.fail(out, "\"data.outOfLimitUrls\" of the answer is not an array of strings");
    simdjson::dom::object existed_map;
    if (data["existedUrlsMap"].get(existed) != simdjson::SUCCESS ||
        existed.get_object().get(existed_map) != simdjson::SUCCESS)
        return s.fail(out, "\"data.existedUrlsMap\" of the answer is not an object");
    for (auto field : existed_map)
        if (!is_string_array(field.value))
            return s.fail(out, "\"data.existedUrlsMap\" of the answer does not map campaigns to arrays of strings");

    out.problem.clear();
    out.rows.resize(sent.size());
    for (auto& row : out.rows) {
        row.result = outcome::added;
        row.placement = bulk_placement::unlisted;
        row.message.assign("already in this list");
    }
    out.out_of_limit = out_of_limit.get_array().value_unsafe().size() > 0;
    if (out.out_of_limit)
        describe_limits(out.limit_message, data);
    else
        out.limit_message.clear();

    s.by_url.resize(sent.size());
    for (std::uint32_t i = 0; i < sent.size(); ++i) s.by_url[i] = i;
    std::sort(s.by_url.begin(), s.by_url.end(), [&](std::uint32_t a, std::uint32_t b) { return sent[a] < sent[b]; });

    s.place_all(submitted.get_array().value_unsafe(), bulk_placement::submitted, {}, sent, out);
    for (auto field : existed_map)
        s.place_all(field.value.get_array().value_unsafe(), bulk_placement::existed, field.key, sent, out);
    s.place_all(rejected.get_array().value_unsafe(), bulk_placement::rejected, {}, sent, out);
    s.place_all(out_of_limit.get_array().value_unsafe(), bulk_placement::out_of_limit, {}, sent, out);
    return true;
}

}  // namespace prospect::net
