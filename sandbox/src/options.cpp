// CLI11 reads the flags; the checks across flags (cert with key, burst with
// rate, shares summing to at most 1) come after, each message naming its
// option.
#include "prospect/sandbox/options.hpp"

#include "prospect/sandbox/address.hpp"
#include "prospect/sandbox/limit_body.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <ostream>

namespace prospect::sandbox {
namespace {

constexpr const char* examples = R"(Examples:
  prospect-sandbox --listen 127.0.0.1:0 --ca-out ca.pem
  prospect-sandbox --rate 5 --burst 10 --fail-rate 0.05 --drop-rate 0.01 --latency-ms 20-200 --seed 7
  curl --cacert ca.pem -H 'X-API-Key: sandbox-key' -H 'Content-Type: application/json' \
    -d '{"prospectListId":"cf33282b-b171-4d23-ae02-848499d793e4","prospectProfileUrl":"https://www.linkedin.com/in/john-doe","campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","moveDuplicatedProspect":false}' \
    https://127.0.0.1:8443/api/client/v1/prospects
  curl --cacert ca.pem -H 'X-API-Key: sandbox-key' -H 'Content-Type: application/json' \
    -d '{"listId":"cf33282b-b171-4d23-ae02-848499d793e4","campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","userUrls":["https://www.linkedin.com/in/john-doe"],"moveOwnDuplicated":false,"shouldBeDeletedIfInactive":false}' \
    https://127.0.0.1:8443/client/v2/prospect-list/cf33282b-b171-4d23-ae02-848499d793e4/add-users-to-list
  curl --cacert ca.pem -d '{"rate":100,"burst":20}' https://127.0.0.1:8443/_sandbox/limit
  curl --cacert ca.pem https://127.0.0.1:8443/_sandbox/prospects
  curl --cacert ca.pem https://127.0.0.1:8443/_sandbox/stats)";

bool parse_int(std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size() && out >= 0;
}

struct usage_error {
    std::string message;
};

void check_share(double v, const char* option) {
    if (!(v >= 0 && v <= 1)) throw usage_error{std::string(option) + ": a share from 0 to 1 is expected"};
}

}  // namespace

std::optional<latency_range> parse_latency(std::string_view s) {
    latency_range r;
    auto dash = s.find('-');
    if (dash == std::string_view::npos) {
        if (!parse_int(s, r.min_ms)) return std::nullopt;
        r.max_ms = r.min_ms;
    } else if (!parse_int(s.substr(0, dash), r.min_ms) || !parse_int(s.substr(dash + 1), r.max_ms) ||
               r.min_ms > r.max_ms) {
        return std::nullopt;
    }
    return r;
}

parsed_options parse_options(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    server_params p;
    std::vector<std::string> keys;
    std::string latency;
    std::int64_t url_limit = 0;
    CLI::App app{"A local HTTPS server that behaves like the Extrovert Add Prospect API "
                 "(POST /api/client/v1/prospects) and its bulk endpoint "
                 "(POST /client/v2/prospect-list/{listId}/add-users-to-list), with a per-key rate limit "
                 "and fault injection, for rehearsals, tests and benchmarks.",
                 "prospect-sandbox"};
    app.footer(examples);
    app.set_version_flag("--version", PROSPECT_VERSION);
    app.add_option("--listen", p.listen, "HOST:PORT to listen on; port 0 picks a free one")
        ->default_str(p.listen);
    app.add_option("--api-key", keys, "an API key it accepts (repeatable)")->default_str("sandbox-key");
    auto cert = app.add_option("--cert", p.cert_file, "PEM certificate chain (with --key)");
    auto key = app.add_option("--key", p.key_file, "PEM private key (with --cert)");
    cert->needs(key);
    key->needs(cert);
    app.add_option("--ca-out", p.ca_out, "write the CA certificate that signs its certificate (PEM)");
    auto rate = app.add_option("--rate", p.rate, "per-key requests per second; over it 429 (default: unlimited)");
    app.add_option("--burst", p.burst, "per-key token bucket capacity (default: the rate, at least 1)")->needs(rate);
    app.add_option("--fail-rate", p.fail_rate, "share of requests answered 500/502/503 (0..1)")->default_str("0");
    app.add_option("--drop-rate", p.drop_rate, "share of requests whose connection is closed without a response (0..1)")
        ->default_str("0");
    app.add_option("--throttle-rate", p.throttle_rate,
                   "share of requests answered 429 with Retry-After: 1 at random, whatever the rate (0..1)")
        ->default_str("0");
    app.add_option("--latency-ms", latency, "added response latency, MS or MIN-MAX")->default_str("0");
    app.add_option("--keepalive-requests", p.keepalive_requests, "close a connection after N responses (default: never)");
    app.add_option("--seed", p.seed, "seed of the fault injection")->default_str(std::to_string(p.seed));
    app.add_option("--store", p.store_file,
                   "keep the stored prospects in this file, so that a sandbox restarted with it still has them "
                   "(default: in memory only)");
    app.add_option("--url-limit", url_limit,
                   "bulk endpoint: URLs the plan allows in all per API key (stored prospects count); beyond it, "
                   "outOfLimitUrls (default: unlimited)");
    app.add_option("--foreign-prospects", p.foreign_prospects_file,
                   "file of profile URLs (one a line) in another user's lists: the bulk endpoint reports them in "
                   "existedUrlsMap, the single endpoint answers 400");
    app.add_flag("--echo-variant", p.echo_variant,
                 "bulk endpoint: echo each valid URL in another form of the same profile "
                 "(http://linkedin.com/in/<slug>/) instead of as sent");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        app.exit(e, out, err);
        return {std::nullopt, 0};
    } catch (const CLI::ParseError& e) {
        err << "prospect-sandbox: " << e.what() << "\nRun with --help for more information.\n";
        return {std::nullopt, 2};
    }
    try {
        if (!keys.empty()) p.api_keys = keys;
        for (auto& k : p.api_keys)
            if (k.empty()) throw usage_error{"--api-key: an empty key is not accepted"};
        if (!parse_host_port(p.listen)) throw usage_error{"--listen " + p.listen + ": HOST:PORT expected"};
        if (!std::isfinite(p.rate) || p.rate < 0) throw usage_error{"--rate: a number of requests per second >= 0"};
        if (p.burst < 0 || !std::isfinite(p.burst)) throw usage_error{"--burst: a number >= 0 is expected"};
        if (p.rate > 0) p.burst = with_default_burst({p.rate, p.burst}).burst;
        check_share(p.fail_rate, "--fail-rate");
        check_share(p.drop_rate, "--drop-rate");
        check_share(p.throttle_rate, "--throttle-rate");
        if (p.fail_rate + p.drop_rate + p.throttle_rate > 1)
            throw usage_error{"--fail-rate plus --drop-rate plus --throttle-rate must not exceed 1"};
        if (app.count("--url-limit")) {
            if (url_limit < 0) throw usage_error{"--url-limit: a number of URLs >= 0 is expected"};
            p.url_limit = static_cast<std::uint64_t>(url_limit);
        }
        if (!latency.empty()) {
            auto r = parse_latency(latency);
            if (!r) throw usage_error{"--latency-ms " + latency + ": MS or MIN-MAX (whole milliseconds) expected"};
            p.latency_min_ms = r->min_ms;
            p.latency_max_ms = r->max_ms;
        }
        if (app.count("--keepalive-requests") && p.keepalive_requests == 0)
            throw usage_error{"--keepalive-requests: at least 1"};
    } catch (const usage_error& e) {
        err << "prospect-sandbox: " << e.message << "\nRun with --help for more information.\n";
        return {std::nullopt, 2};
    }
    return {std::move(p), 0};
}

}  // namespace prospect::sandbox
