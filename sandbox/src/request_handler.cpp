#include "prospect/sandbox/request_handler.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace prospect::sandbox {
namespace {

constexpr std::string_view api_path = "/api/client/v1/prospects";

bool is_application_json(std::string_view content_type) noexcept {
    content_type = content_type.substr(0, content_type.find(';'));
    while (content_type.ends_with(' ')) content_type.remove_suffix(1);
    constexpr std::string_view expected = "application/json";
    return std::ranges::equal(content_type, expected, [](char a, char b) {
        return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b;
    });
}

}  // namespace

request_handler::request_handler(const server_params& params, clock::time_point now)
    : api_keys_(params.api_keys),
      store_(params.api_keys.size()),
      faults_({params.fail_rate, params.drop_rate, params.latency_min_ms, params.latency_max_ms, params.seed}) {
    if (!params.store_file.empty()) log_ = std::make_unique<store_log>(params.store_file, store_, api_keys_.size());
    buckets_.reserve(api_keys_.size());
    for (std::size_t i = 0; i < api_keys_.size(); ++i) buckets_.emplace_back(params.rate, params.burst, now);
}

response_plan request_handler::handle(const request_view& req, clock::time_point now, std::string& out) {
    auto target = req.target.substr(0, req.target.find('?'));
    response_plan p;
    p.close = !req.keep_alive;
    if (target == api_path) {
        if (req.method != "POST") {
            respond(out, 405, "method not allowed: use POST", {.close = p.close, .allow = "POST"});
            return p;
        }
        // On arrival, before any check: the timeline shows what clients send, 429s included.
        timeline_.record(now);
        p.latency = faults_.next_latency();
        handle_add(req, now, p, out);
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

// docs/contract.md's order: API key, rate limit, injected faults, body, store.
void request_handler::handle_add(const request_view& req, clock::time_point now, response_plan& p, std::string& out) {
    response_extras extras{.close = p.close};
    std::size_t key = 0;
    while (key < api_keys_.size() && api_keys_[key] != req.api_key) ++key;
    if (key == api_keys_.size()) {
        respond(out, 401, req.api_key.empty() ? "missing API key (X-API-Key)" : "invalid API key", extras);
        return;
    }
    if (auto wait = buckets_[key].try_take(now); wait.count() > 0) {
        double seconds = std::chrono::duration<double>(wait).count();
        extras.retry_after_s = std::max(1, static_cast<int>(std::ceil(seconds)));
        respond(out, 429, "rate limit exceeded: retry after " + std::to_string(extras.retry_after_s) + " s", extras);
        return;
    }
    auto f = faults_.next_fault();
    if (f.kind == fault_kind::fail) {
        respond(out, f.status, "injected fault", extras);
        return;
    }
    // A drop loses the response, not the request: the body is still
    // applied, which is the case that makes a client's retry interesting.
    p.drop = f.kind == fault_kind::drop;
    if (!is_application_json(req.content_type)) {
        respond(out, 400, "Content-Type must be application/json", extras, p.drop);
        return;
    }
    if (auto message = body_parser_.parse(req.body, body_); !message.empty()) {
        respond(out, 400, message, extras, p.drop);
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

void request_handler::respond(std::string& out, int status, std::string_view message, const response_extras& extras,
                              bool drop) {
    if (drop) {
        stats_.count_drop();
        out.clear();
        return;
    }
    stats_.count(status);
    write_envelope(json_, status, message);
    write_response(out, status, json_, extras);
}

}  // namespace prospect::sandbox
