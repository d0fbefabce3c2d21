#include "prospect/sandbox/request_handler.hpp"

#include "prospect/lead/uuid.hpp"
#include "prospect/text/ascii.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace prospect::sandbox {
namespace {

constexpr std::string_view api_path = "/api/client/v1/prospects";
constexpr std::string_view limit_path = "/_sandbox/limit";

bool is_application_json(std::string_view content_type) noexcept {
    content_type = content_type.substr(0, content_type.find(';'));
    while (content_type.ends_with(' ')) content_type.remove_suffix(1);
    return text::iequals(content_type, "application/json");
}

std::unique_ptr<store_log> open_log(const server_params& params, store& into) {
    if (params.store_file.empty()) return nullptr;
    return std::make_unique<store_log>(params.store_file, into, params.api_keys.size());
}

foreign_prospects read_foreign(const server_params& params) {
    if (params.foreign_prospects_file.empty()) return {};
    return foreign_prospects(params.foreign_prospects_file);
}

}  // namespace

request_handler::request_handler(const server_params& params, clock::time_point now)
    : api_keys_(params.api_keys),
      limit_(with_default_burst({params.rate, params.burst})),
      store_(params.api_keys.size()),
      log_(open_log(params, store_)),
      foreign_(read_foreign(params)),
      bulk_(store_, log_.get(), foreign_, {params.url_limit, params.echo_variant}),
      faults_({params.fail_rate, params.drop_rate, params.throttle_rate, params.latency_min_ms, params.latency_max_ms,
               params.seed}) {
    buckets_.reserve(api_keys_.size());
    for (std::size_t i = 0; i < api_keys_.size(); ++i) buckets_.emplace_back(limit_.rate, limit_.burst, now);
}

response_plan request_handler::handle(const request_view& req, clock::time_point now, std::string& out) {
    auto target = req.target.substr(0, req.target.find('?'));
    response_plan p;
    p.close = !req.keep_alive;
    auto bulk_list = bulk_path_list_id(target);
    if (target == api_path || bulk_list) {
        if (req.method != "POST") {
            respond(out, 405, "method not allowed: use POST", {.close = p.close, .allow = "POST"});
            return p;
        }
        // On arrival, before any check: the timeline shows what clients send, 429s included.
        timeline_.record(now);
        p.latency = faults_.next_latency();
        std::size_t key = 0;
        if (!admit(req, now, p, out, key)) return p;
        if (bulk_list) handle_bulk(req, *bulk_list, key, p, out);
        else handle_add(req, key, p, out);
        return p;
    }
    if (target == limit_path) {
        handle_limit(req, now, p, out);
        return p;
    }
    if (target == "/_sandbox/prospects" || target == "/_sandbox/stats" || target == "/_sandbox/timeline") {
        if (req.method != "GET") {
            respond(out, 405, "method not allowed: use GET", {.close = p.close, .allow = "GET"});
            return p;
        }
        // Introspection is not counted: the stats describe the API traffic.
        json_.clear();
        if (target == "/_sandbox/stats") stats_.append_json(json_);
        else if (target == "/_sandbox/timeline") timeline_.append_json(json_);
        else store_.append_json(json_);
        write_response(out, 200, json_, {.close = p.close});
        return p;
    }
    respond(out, 404, "no such endpoint: " + std::string(target), {.close = p.close});
    return p;
}

response_plan request_handler::reject(parse_failure why, std::string_view detail, std::string& out) {
    switch (why) {
    case parse_failure::body_too_large:
        respond(out, 413, "the body exceeds " + std::to_string(body_limit) + " bytes", {.close = true});
        break;
    case parse_failure::header_too_large:
        respond(out, 431, "the request header exceeds " + std::to_string(header_limit) + " bytes", {.close = true});
        break;
    case parse_failure::malformed:
        respond(out, 400, "malformed HTTP request: " + std::string(detail), {.close = true});
        break;
    }
    return {.close = true};
}

void request_handler::set_limit(const rate_limit& limit, clock::time_point now) {
    limit_ = with_default_burst(limit);
    for (auto& bucket : buckets_) {
        double left = bucket.unlimited() ? limit_.burst : bucket.tokens(now);
        bucket = policy::token_bucket(limit_.rate, limit_.burst, now);
        bucket.hold_until(now, std::max(0.0, left));
    }
}

// docs/contract.md's order: API key, rate limit, injected faults, then the body.
bool request_handler::admit(const request_view& req, clock::time_point now, response_plan& p, std::string& out,
                            std::size_t& key) {
    response_extras extras{.close = p.close};
    key = 0;
    while (key < api_keys_.size() && api_keys_[key] != req.api_key) ++key;
    if (key == api_keys_.size()) {
        respond(out, 401, req.api_key.empty() ? "missing API key (X-API-Key)" : "invalid API key", extras);
        return false;
    }
    if (auto wait = buckets_[key].try_take(now); wait.count() > 0) {
        double seconds = std::chrono::duration<double>(wait).count();
        extras.retry_after_s = std::max(1, static_cast<int>(std::ceil(seconds)));
        respond(out, 429, "rate limit exceeded: retry after " + std::to_string(extras.retry_after_s) + " s", extras);
        return false;
    }
    auto f = faults_.next_fault();
    if (f.kind == fault_kind::fail) {
        respond(out, f.status, "injected fault", extras);
        return false;
    }
    if (f.kind == fault_kind::throttle) {
        extras.retry_after_s = 1;
        respond(out, 429, "throttled (injected): retry after 1 s", extras);
        return false;
    }
    // A drop loses the response, not the request: the body is still
    // applied, which is the case that makes a client's retry interesting.
    p.drop = f.kind == fault_kind::drop;
    if (!is_application_json(req.content_type)) {
        respond(out, 400, "Content-Type must be application/json", extras, p.drop);
        return false;
    }
    return true;
}

void request_handler::handle_add(const request_view& req, std::size_t key, response_plan& p, std::string& out) {
    response_extras extras{.close = p.close};
    if (auto message = body_parser_.parse(req.body, body_); !message.empty()) {
        respond(out, 400, message, extras, p.drop);
        return;
    }
    if (foreign_.contains(body_.profile_url)) {
        respond(out, 400, "prospect " + body_.profile_url + " already exists in another user's prospect list", extras,
                p.drop);
        return;
    }
    // The only write to the store; logged first, so a restart never forgets an answered post.
    if (log_) {
        try {
            log_->append(key, body_);
        } catch (const std::runtime_error& e) {
            respond(out, 500, e.what(), extras, p.drop);
            return;
        }
    }
    switch (store_.add(key, body_)) {
    case add_status::added:
    case add_status::already_in_list:
    case add_status::moved: respond(out, 201, "Operation completed successfully", extras, p.drop); return;
    case add_status::duplicate: respond(out, 400, duplicate_message(store_.existing()), extras, p.drop); return;
    }
}

void request_handler::handle_bulk(const request_view& req, std::string_view path_list_id, std::size_t key,
                                  response_plan& p, std::string& out) {
    response_extras extras{.close = p.close};
    if (auto message = bulk_parser_.parse(req.body, bulk_body_); !message.empty()) {
        respond(out, 400, message, extras, p.drop);
        return;
    }
    auto path_id = lead::parse_uuid(path_list_id);
    if (!path_id || path_id->view() != bulk_body_.list_id) {
        respond(out, 400, "listId " + bulk_body_.list_id + " must be the list id in the path (" +
                              std::string(path_list_id) + ")", extras, p.drop);
        return;
    }
    try {
        bulk_.add(key, bulk_body_);
    } catch (const std::runtime_error& e) {
        respond(out, 500, e.what(), extras, p.drop);
        return;
    }
    bulk_.write_answer(json_, bulk_body_.list_id);
    answer(out, 200, json_, extras, p.drop);
}

// Not an API endpoint: no key, no faults, not counted (the stats describe the API traffic).
void request_handler::handle_limit(const request_view& req, clock::time_point now, response_plan& p,
                                   std::string& out) {
    if (req.method != "GET" && req.method != "POST") {
        respond(out, 405, "method not allowed: use GET or POST", {.close = p.close, .allow = "GET, POST"});
        return;
    }
    if (req.method == "POST") {
        rate_limit limit;
        if (auto message = parse_limit_body(req.body, limit); !message.empty()) {
            write_envelope(json_, 400, "POST " + std::string(limit_path) + ": " + message);
            write_response(out, 400, json_, {.close = p.close});
            return;
        }
        set_limit(limit, now);
    }
    json_.clear();
    append_limit_json(json_, limit_);
    write_response(out, 200, json_, {.close = p.close});
}

void request_handler::respond(std::string& out, int status, std::string_view message, const response_extras& extras,
                              bool drop) {
    write_envelope(json_, status, message);
    answer(out, status, json_, extras, drop);
}

void request_handler::answer(std::string& out, int status, std::string_view body, const response_extras& extras,
                             bool drop) {
    if (drop) {
        stats_.count_drop();
        out.clear();
        return;
    }
    stats_.count(status);
    write_response(out, status, body, extras);
}

}  // namespace prospect::sandbox
