// api_connection against a real prospect-sandbox process: keep-alive reuse,
// server-side closes, drops, timeouts and every way a certificate can fail,
// each one asserted on the post_result kind the retry policy will see.
#include "prospect/net/api_connection.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <csignal>
#include <functional>
#include <string>
#include <vector>

#include "prospect/net/request.hpp"
#include "prospect/net/tls_context.hpp"
#include "prospect/sandbox/certificates.hpp"
#include "support/files.hpp"
#include "support/process.hpp"

namespace asio = boost::asio;
using namespace prospect::net;
using namespace std::chrono_literals;
using kind = post_result::kind;

namespace {

constexpr std::string_view api_key = "e2e-net-key";

struct sandbox {
    prospect::test::temp_dir dir;
    std::string ca_file = dir / "ca.pem";
    prospect::test::child process;
    std::string url;

    explicit sandbox(std::vector<std::string> extra = {})
        : process([&] {
              std::vector<std::string> argv = {PROSPECT_SANDBOX_BIN, "--listen", "127.0.0.1:0", "--ca-out", ca_file,
                                               "--api-key", std::string(api_key)};
              argv.insert(argv.end(), extra.begin(), extra.end());
              return argv;
          }()) {
        std::string line = process.read_line();
        constexpr std::string_view prefix = "listening on ";
        REQUIRE(line.rfind(prefix, 0) == 0);
        url = line.substr(prefix.size());
        while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
    }
};

std::string profile(int i) { return "https://www.linkedin.com/in/e2e-net-" + std::to_string(i); }

// Runs `posts` requests one after another on one connection and returns what
// each attempt ended in.
struct session {
    base_url url;
    asio::ssl::context tls;
    asio::io_context io;
    api_connection connection;
    request_builder builder;

    session(const std::string& base, const std::string& ca_file, std::string_view key = api_key)
        : url(parse_base_url(base)),
          tls(make_tls_context({ca_file})),
          connection(io.get_executor(), tls, url),
          builder({url, key, "test"}) {}

    // Runs the loop only until the posts are done: the connection's
    // watchdog timer stays armed until the last deadline (the importer
    // cancels it with close()), and io.run() would wait for it.
    std::vector<post_result> post(int posts, std::chrono::steady_clock::duration timeout = 10s, int first = 0) {
        std::vector<post_result> results;
        bool done = false;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                for (int i = first; i < first + posts; ++i) {
                    auto bytes = builder.build({"cf33282b-b171-4d23-ae02-848499d793e4", profile(i),
                                                "8d256aa6-9b12-49a7-93ee-bf41634b5b60", false});
                    results.push_back(co_await connection.post(bytes, timeout));
                }
            },
            [&](std::exception_ptr e) {
                done = true;
                if (e) std::rethrow_exception(e);
            });
        io.restart();
        while (!done) io.run_one();
        return results;
    }
};

int count_kind(const std::vector<post_result>& results, kind k, int status = 0) {
    int n = 0;
    for (auto& r : results) n += r.outcome == k && (status == 0 || r.status == status);
    return n;
}

bool contains(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("a clean 201 carries the API's message") {
    sandbox server;
    session s(server.url, server.ca_file);
    auto results = s.post(1);
    REQUIRE(results.size() == 1);
    CHECK(results[0].outcome == kind::response);
    CHECK(results[0].status == 201);
    CHECK(results[0].message == "Operation completed successfully");
    CHECK(results[0].retry_after.empty());
    CHECK(s.connection.connects() == 1);
}

TEST_CASE("twenty posts share one keep-alive connection") {
    sandbox server;
    session s(server.url, server.ca_file);
    auto results = s.post(20);
    CHECK(count_kind(results, kind::response, 201) == 20);
    CHECK(s.connection.connects() == 1);
}

TEST_CASE("a server that closes after N requests costs reconnects, not requests, and resumes TLS sessions") {
    for (int per_connection : {1, 3}) {
        CAPTURE(per_connection);
        sandbox server({"--keepalive-requests", std::to_string(per_connection)});
        session s(server.url, server.ca_file);
        auto results = s.post(10);
        CHECK(count_kind(results, kind::response, 201) == 10);
        auto expected_connects = (10 + per_connection - 1) / per_connection;
        CHECK(s.connection.connects() == expected_connects);
        CHECK(s.connection.resumed_sessions() == expected_connects - 1);
    }
}

TEST_CASE("a connection dropped after the request was sent is connection_lost") {
    sandbox server({"--drop-rate", "1"});
    session s(server.url, server.ca_file);
    auto results = s.post(2);
    REQUIRE(results.size() == 2);
    for (auto& r : results) {
        CHECK(r.outcome == kind::connection_lost);
        CHECK(contains(r.message, "before a response"));
    }
    CHECK(s.connection.connects() == 2);
}

TEST_CASE("a response slower than the deadline is timed_out") {
    sandbox server({"--latency-ms", "5000"});
    session s(server.url, server.ca_file);
    auto results = s.post(1, 300ms);
    REQUIRE(results.size() == 1);
    CHECK(results[0].outcome == kind::timed_out);
    CHECK(contains(results[0].message, "waiting for the response"));
}

TEST_CASE("a wrong key gets the 401 envelope, and throttling passes Retry-After on") {
    sandbox server({"--rate", "0.01", "--burst", "1"});
    session wrong(server.url, server.ca_file, "not-the-key");
    auto refused = wrong.post(1);
    CHECK(refused[0].outcome == kind::response);
    CHECK(refused[0].status == 401);
    CHECK_FALSE(refused[0].message.empty());

    session s(server.url, server.ca_file);
    auto results = s.post(2);
    CHECK(results[0].status == 201);
    CHECK(results[1].status == 429);
    CHECK_FALSE(results[1].retry_after.empty());
}

TEST_CASE("a server whose CA is not trusted is tls_verify_failed, never a plain connect failure") {
    sandbox server;
    prospect::test::temp_dir other;
    auto unrelated_ca = other / "unrelated.pem";
    prospect::test::write_file(unrelated_ca, prospect::sandbox::make_throwaway_certificates({"127.0.0.1"}).ca_pem);
    for (const std::string& ca : {std::string(), unrelated_ca}) {
        CAPTURE(ca);
        session s(server.url, ca);
        auto results = s.post(1);
        CHECK(results[0].outcome == kind::tls_verify_failed);
        CHECK(contains(results[0].message, "failed verification"));
        CHECK(s.connection.connects() == 0);
    }
}

TEST_CASE("a certificate for another name is tls_verify_failed") {
    prospect::test::temp_dir dir;
    auto certs = prospect::sandbox::make_throwaway_certificates({"wrong.example", "127.0.0.9"});
    auto cert = dir / "cert.pem";
    auto key = dir / "key.pem";
    auto ca = dir / "trusted-ca.pem";
    prospect::test::write_file(cert, certs.cert_pem);
    prospect::test::write_file(key, certs.key_pem);
    prospect::test::write_file(ca, certs.ca_pem);
    sandbox server({"--cert", cert, "--key", key});
    session s(server.url, ca);
    auto results = s.post(1);
    CHECK(results[0].outcome == kind::tls_verify_failed);
    CHECK(contains(results[0].message, "mismatch"));
}

TEST_CASE("nothing listening is connect_failed") {
    std::string url;
    std::string ca;
    prospect::test::temp_dir keep;
    {
        sandbox server;
        url = server.url;
        ca = keep / "ca.pem";
        prospect::test::write_file(ca, prospect::test::read_file(server.ca_file));
        server.process.signal(SIGTERM);
        CHECK(server.process.wait() == 0);
    }
    session s(url, ca);
    auto results = s.post(1);
    CHECK(results[0].outcome == kind::connect_failed);
    CHECK(contains(results[0].message, "cannot connect"));
}
