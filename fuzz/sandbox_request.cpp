// Any bytes as what a client sends on one connection: Beast's request
// parser reads request after request from them (pipelined, as the server's
// read loop does) and each goes to the request handler with a synthetic
// clock. The input's last byte picks the sandbox's settings (rate limit,
// faults, latency, the clock's step). Beyond not crashing: each answer is
// one well-formed HTTP/1.1 response with a JSON body, Connection: close
// exactly when the plan closes, and no bytes when the plan drops.
#include "check.hpp"
#include "prospect/sandbox/request_handler.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <fuzzer/FuzzedDataProvider.h>
#include <simdjson.h>

using namespace prospect;
using fuzz::require;
namespace http = boost::beast::http;

namespace {

std::string_view view(boost::beast::string_view s) { return {s.data(), s.size()}; }

// Reads one request off the front of `rest`; false when nothing is left to
// answer (end of input, or a request cut short: the server answers neither).
bool read_request(std::string_view& rest, http::request_parser<http::string_body>& parser,
                  boost::system::error_code& ec) {
    parser.body_limit(sandbox::request_handler::body_limit);
    parser.header_limit(sandbox::request_handler::header_limit);
    while (!parser.is_done()) {
        std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
        rest.remove_prefix(used);
        if (ec == http::error::need_more) ec = {};
        if (ec) return true;
        // No progress: the input ended before the request did.
        if (used == 0) {
            parser.put_eof(ec);
            return !(ec == http::error::end_of_stream || ec == http::error::partial_message);
        }
    }
    return true;
}

void check_response(std::string_view out, const sandbox::response_plan& plan) {
    if (plan.drop) {
        require(out.empty(), "a dropped response has no bytes");
        return;
    }
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(out.data(), out.size()), ec);
    require(!ec && parser.is_done() && used == out.size(), "the response is one complete HTTP response");
    auto& res = parser.get();
    require(res.version() == 11, "the response is HTTP/1.1");
    require(res.result_int() >= 200 && res.result_int() <= 599, "the status is 2xx to 5xx");
    require(res.keep_alive() == !plan.close, "Connection: close exactly when the plan closes");
    static simdjson::dom::parser json;
    simdjson::dom::element root;
    require(json.parse(res.body()).get(root) == simdjson::SUCCESS, "the body is valid JSON");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    const auto settings = input.ConsumeIntegral<std::uint8_t>();  // from the end
    const std::string bytes = input.ConsumeRemainingBytesAsString();

    sandbox::server_params params;
    params.api_keys = {"sandbox-key", "other-key"};
    if (settings & 1) params.rate = 2, params.burst = 1;
    if (settings & 2) params.fail_rate = 0.3;
    if (settings & 4) params.drop_rate = 0.3;
    if (settings & 8) params.latency_min_ms = 1, params.latency_max_ms = 50;
    params.seed = settings >> 6;
    const auto step = std::chrono::milliseconds((settings >> 4) & 3 ? 1 << (3 * ((settings >> 4) & 3)) : 0);

    auto now = sandbox::request_handler::clock::time_point{} + std::chrono::hours(1);
    sandbox::request_handler handler(params, now);
    std::string out;
    std::string_view rest = bytes;
    while (!rest.empty()) {
        http::request_parser<http::string_body> parser;
        boost::system::error_code ec;
        if (!read_request(rest, parser, ec)) break;
        sandbox::response_plan plan;
        if (ec) {
            plan = handler.reject(ec == http::error::body_limit     ? sandbox::parse_failure::body_too_large
                                  : ec == http::error::header_limit ? sandbox::parse_failure::header_too_large
                                                                    : sandbox::parse_failure::malformed,
                                  ec.message(), out);
        } else {
            auto& req = parser.get();
            plan = handler.handle({.method = view(req.method_string()),
                                   .target = view(req.target()),
                                   .api_key = view(req["X-API-Key"]),
                                   .content_type = view(req[http::field::content_type]),
                                   .body = req.body(),
                                   .keep_alive = req.keep_alive()},
                                  now, out);
        }
        check_response(out, plan);
        // The server closes the connection: whatever follows is never read.
        if (plan.close || plan.drop) break;
        now += step;
    }
    return 0;
}
