// What the sandbox's end-to-end tests talk with: a running prospect-sandbox
// (spawned, its port read from the "listening on" line, its CA written to a
// temp dir) and a small TLS client that verifies it against that CA. Beast
// stays in sandbox_client.cpp so that the tests compile quickly.
#pragma once

#include "support/files.hpp"
#include "support/process.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect::test {

inline constexpr std::string_view campaign_1 = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
inline constexpr std::string_view list_1 = "cf33282b-b171-4d23-ae02-848499d793e4";
inline constexpr std::string_view list_2 = "0b7e7c55-6f0c-4c5e-9a51-2f4a8f8a5e10";

// An Add Prospect body as the importer sends it.
std::string add_body(std::string_view url, std::string_view list = list_1, bool move = false,
                     std::string_view campaign = campaign_1);

class sandbox_process {
    temp_dir dir_;  // first: ca_file lives in it

public:
    // Starts prospect-sandbox --ca-out <tmp>/ca.pem plus `args`, and --listen
    // 127.0.0.1:0 unless `args` hold a --listen.
    explicit sandbox_process(std::vector<std::string> args = {});
    // SIGTERM (or `sig`) and the exit status.
    int stop(int sig = 15);

    std::string host = "127.0.0.1";
    std::string port;
    std::string url;       // as printed: https://127.0.0.1:PORT
    std::string ca_file;

private:
    child proc_;
};

struct http_reply {
    int status = 0;  // 0: the connection closed (or broke) before a response
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string header(const std::string& lower_name) const;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

class tls_client {
public:
    // Connects and completes the TLS handshake, verifying the certificate
    // against `ca_file` for `host`; throws if that fails.
    tls_client(const std::string& host, const std::string& port, const std::string& ca_file);
    explicit tls_client(const sandbox_process& s) : tls_client(s.host, s.port, s.ca_file) {}
    ~tls_client();

    http_reply post(std::string_view target, std::string_view body, std::string_view api_key = "sandbox-key",
                    const header_list& extra = {});
    http_reply get(std::string_view target);
    http_reply send(std::string_view method, std::string_view target, std::string_view body, const header_list& headers);

    // Bytes as they are, for requests no well-behaved client would send.
    void write_raw(std::string_view bytes);
    http_reply read_reply();
    // True when the server has closed the connection (the next read ends).
    bool peer_closed();
    unsigned short local_port() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Sends `bytes` over plain TCP and returns what came back until the server closed.
std::string plain_tcp_exchange(const std::string& host, const std::string& port, std::string_view bytes);

}  // namespace prospect::test
