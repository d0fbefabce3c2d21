// The sandbox's answer to one parsed request: the checks of the single and
// the bulk endpoint in docs/contract.md's order (API key, rate limit,
// injected faults, body, store), the introspection endpoints and the limit
// change. No clock of its own (the time is a parameter) and no I/O but
// --store's file, so unit tests and the fuzzer drive it deterministically;
// the server only accepts, reads, waits and writes. Beast stays out: a
// request arrives as the few strings the handler reads.
#pragma once

#include "prospect/policy/token_bucket.hpp"
#include "prospect/sandbox/bulk_body.hpp"
#include "prospect/sandbox/bulk_handler.hpp"
#include "prospect/sandbox/faults.hpp"
#include "prospect/sandbox/foreign_prospects.hpp"
#include "prospect/sandbox/http_response.hpp"
#include "prospect/sandbox/limit_body.hpp"
#include "prospect/sandbox/prospect_body.hpp"
#include "prospect/sandbox/server.hpp"
#include "prospect/sandbox/stats.hpp"
#include "prospect/sandbox/store.hpp"
#include "prospect/sandbox/store_log.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace prospect::sandbox {

struct request_view {
    std::string_view method;        // as sent: "POST", "GET", ...
    std::string_view target;        // path and query
    std::string_view api_key;       // X-API-Key, empty when absent
    std::string_view content_type;  // Content-Type, empty when absent
    // Mutable for simdjson's padding: its capacity may grow.
    std::string& body;
    // False when the client asked to close or the connection served its
    // last request (--keepalive-requests): the response says Connection: close.
    bool keep_alive = true;
};

// Why the server could not parse a request (answered 400, 413 or 431).
enum class parse_failure : unsigned char { malformed, body_too_large, header_too_large };

// What the server does with `out` after handle().
struct response_plan {
    bool drop = false;   // close without a response (`out` is empty)
    bool close = false;  // close after the response
    std::chrono::milliseconds latency{0};
};

class request_handler {
public:
    using clock = std::chrono::steady_clock;

    // A single request's body is under 300 bytes, a bulk one of 1,000 URLs
    // under 100 KiB; anything near these limits is a mistake or an attack.
    static constexpr std::uint64_t body_limit = 1024 * 1024;
    static constexpr std::uint32_t header_limit = 16 * 1024;

    // Reads the API keys, the rate limit and the fault parameters; the
    // buckets start full at `now`. With params.store_file, the store is
    // replayed from that file and kept in it; params.foreign_prospects_file
    // is read (throws std::runtime_error naming the option).
    request_handler(const server_params& params, clock::time_point now);

    // Replaces `out` with the complete response. `now` must not go backwards
    // from one call to the next.
    response_plan handle(const request_view& req, clock::time_point now, std::string& out);
    // The answer to a request the server could not parse; `detail` says why
    // (malformed only). The plan closes the connection.
    response_plan reject(parse_failure why, std::string_view detail, std::string& out);

    const store& prospects() const noexcept { return store_; }
    const request_stats& stats() const noexcept { return stats_; }
    const post_timeline& timeline() const noexcept { return timeline_; }
    // The per-key limit in force (rate 0: unlimited).
    const rate_limit& limit() const noexcept { return limit_; }

    // What POST /_sandbox/limit does: every key's bucket takes the new rate
    // and burst, keeping the tokens it has (up to the new burst), so a
    // change is not a free burst; from unlimited, it starts full.
    void set_limit(const rate_limit& limit, clock::time_point now);

private:
    // Key, rate limit, faults and Content-Type, common to both endpoints:
    // false when `out` holds the answer already, else the key's index.
    bool admit(const request_view& req, clock::time_point now, response_plan& p, std::string& out, std::size_t& key);
    void handle_add(const request_view& req, std::size_t key, response_plan& p, std::string& out);
    void handle_bulk(const request_view& req, std::string_view path_list_id, std::size_t key, response_plan& p,
                     std::string& out);
    void handle_limit(const request_view& req, clock::time_point now, response_plan& p, std::string& out);
    void respond(std::string& out, int status, std::string_view message, const response_extras& extras, bool drop = false);
    // Counts `status` (or the drop) and writes `body` as it is.
    void answer(std::string& out, int status, std::string_view body, const response_extras& extras, bool drop);

    std::vector<std::string> api_keys_;
    rate_limit limit_;
    std::vector<policy::token_bucket> buckets_;  // one per API key
    store store_;
    std::unique_ptr<store_log> log_;  // --store, or none
    foreign_prospects foreign_;
    bulk_adder bulk_;
    request_stats stats_;
    post_timeline timeline_;
    fault_injector faults_;
    prospect_body_parser body_parser_;
    add_prospect_body body_;
    bulk_body_parser bulk_parser_;
    bulk_body bulk_body_;
    std::string json_;
};

}  // namespace prospect::sandbox
