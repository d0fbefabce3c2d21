// The sandbox server: an HTTPS imitation of the Extrovert Add Prospect API
// (docs/contract.md, "prospect-sandbox") that runs on the caller's io_context, so
// that prospect-import --sandbox can embed it. Asio and Beast stay behind
// the pimpl: this header only forward-declares the io_context.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace prospect::sandbox {

struct server_params {
    // HOST:PORT to listen on (an IPv6 host in brackets); port 0 picks a free one.
    std::string listen = "127.0.0.1:8443";
    // API keys accepted in X-API-Key; each has its own store and rate limit.
    std::vector<std::string> api_keys{"sandbox-key"};
    // PEM certificate chain and private key; both empty: a throwaway CA and
    // a certificate for localhost, 127.0.0.1, ::1 and the listen host.
    std::string cert_file, key_file;
    // Where to write the PEM CA certificate that signs the server's; empty: nowhere.
    std::string ca_out;
    // Per-key token bucket: refill per second (0 = unlimited) and capacity.
    double rate = 0, burst = 0;
    // Shares (0..1) of requests answered 500/502/503, and closed unanswered.
    double fail_rate = 0, drop_rate = 0;
    // Share (0..1) of requests answered 429 with Retry-After: 1 at random,
    // whatever the rate limit (a gateway's stray throttling).
    double throttle_rate = 0;
    // Added latency of API responses, drawn uniformly from [min, max] ms.
    int latency_min_ms = 0, latency_max_ms = 0;
    // Close a connection after this many responses (0 = never).
    std::uint64_t keepalive_requests = 0;
    // Seed of the fault injection: the same seed and request order, the same faults.
    std::uint64_t seed = 1;
    // Where the store is kept across restarts (store_log.hpp); empty: in memory only.
    std::string store_file;
    // Bulk endpoint: URLs the plan allows in all per API key (stored
    // prospects count); beyond it, outOfLimitUrls. Empty: unlimited.
    std::optional<std::uint64_t> url_limit;
    // A file of profile URLs (one a line) in another user's lists: the bulk
    // endpoint reports them in existedUrlsMap, the single endpoint answers 400.
    std::string foreign_prospects_file;
    // The bulk endpoint echoes each valid URL in another form of the same
    // profile (http, no www., a trailing slash) instead of as it was sent.
    bool echo_variant = false;
};

class server {
public:
    // Binds the listening socket and loads or makes the certificates (and
    // writes ca_out); throws std::runtime_error with a message naming the
    // option at fault. Nothing is accepted before start().
    server(boost::asio::io_context& io, server_params params);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // https://HOST:PORT with the port actually bound.
    std::string url() const;
    // The CA certificate (PEM) that verifies this server's certificate.
    std::string ca_pem() const;

    void start();
    // Stops accepting and closes every connection; the io_context runs out
    // of sandbox work soon after. Idempotent.
    void stop();

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace prospect::sandbox
