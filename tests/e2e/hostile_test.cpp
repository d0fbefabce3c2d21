// The real importer against hostile-server, one misbehaving mode a test: every
// row once in the report, in order, and the rows reported added exactly the
// ones the server sent a whole 2xx answer for (GET /_hostile/received).
#include "import_support.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <set>

using namespace prospect::test;

namespace {

struct hostile_process {
    temp_dir dir;
    std::string ca_file = dir / "ca.pem";
    child process;
    std::string port;
    std::string url;

    explicit hostile_process(const std::string& mode)
        : process({PROSPECT_HOSTILE_BIN, "--mode", mode, "--ca-out", ca_file}) {
        std::string line = process.read_line();
        constexpr std::string_view prefix = "listening on https://127.0.0.1:";
        REQUIRE(line.rfind(prefix, 0) == 0);
        port = line.substr(prefix.size());
        while (!port.empty() && (port.back() == '\n' || port.back() == '\r')) port.pop_back();
        url = "https://127.0.0.1:" + port;
    }

    struct received_list {
        long requests = 0;
        std::vector<std::string> answered_2xx;
    };
    received_list received() const {
        tls_client client("127.0.0.1", port, ca_file);
        auto reply = client.get("/_hostile/received");
        REQUIRE(reply.status == 200);
        auto o = boost::json::parse(reply.body).as_object();
        received_list out;
        out.requests = o.at("requests").as_int64();
        for (const auto& v : o.at("answered_2xx").as_array()) out.answered_2xx.emplace_back(v.as_string());
        return out;
    }

    run_result import(const std::string& input, std::vector<std::string> args = {}) const {
        std::vector<std::string> argv = {PROSPECT_IMPORT_BIN, "--base-url", url,   "--ca-file", ca_file, "--campaign",
                                         std::string(campaign_1), "--list", std::string(list_1), "--rate", "2000"};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back(input);
        return run(argv, with_key());
    }
};

std::string write_leads(const temp_dir& dir, std::size_t n) {
    auto path = dir / "leads.csv";
    write_file(path, lead_rows(n));
    return path;
}

// Every row once and in order; the added ones exactly those answered 2xx.
std::vector<report_row> check_report(const std::string& input, std::size_t n,
                                     const hostile_process::received_list& received) {
    auto rows = read_report(input + ".report.csv");
    REQUIRE(rows.size() == n);
    std::set<std::string> added;
    for (std::size_t i = 0; i < n; ++i) {
        CHECK(rows[i].row == i + 2);
        CHECK(rows[i].normalized_url == lead_url(i));
        if (rows[i].outcome == "added") added.insert(rows[i].normalized_url);
    }
    std::set<std::string> answered(received.answered_2xx.begin(), received.answered_2xx.end());
    CHECK(answered.size() == received.answered_2xx.size());  // none answered 2xx twice
    CHECK(added == answered);
    return rows;
}

}  // namespace

TEST_CASE("100 Continue before every answer: each row gets its own request's status") {
    hostile_process server("continue-100");
    temp_dir dir;
    auto input = write_leads(dir, 40);
    auto r = server.import(input, {"--connections", "2"});
    INFO(r.err);
    CHECK(r.status == 1);  // the 400s are rejected rows a person should read
    auto received = server.received();
    CHECK(received.requests == 40);
    CHECK(received.answered_2xx.size() == 20);
    auto rows = check_report(input, 40, received);
    for (const auto& row : rows) {
        CAPTURE(row.row);
        CHECK((row.outcome == "added" ? row.http_status == "201" : row.outcome == "rejected" && row.http_status == "400"));
        CHECK(row.attempts == "1");
    }
}

TEST_CASE("a 201 with a 50 MB body is the answer: every row added once, no retry") {
    hostile_process server("huge-201");
    temp_dir dir;
    auto input = write_leads(dir, 4);
    auto r = server.import(input);
    INFO(r.err);
    CHECK(r.status == 0);
    auto received = server.received();
    CHECK(received.requests == 4);
    auto rows = check_report(input, 4, received);
    for (const auto& row : rows) {
        CHECK(row.outcome == "added");
        CHECK(row.attempts == "1");
    }
}

TEST_CASE("an HTTP/1.0 201 ended by close_notify is the answer") {
    hostile_process server("http10-close");
    temp_dir dir;
    auto input = write_leads(dir, 10);
    auto r = server.import(input);
    INFO(r.err);
    CHECK(r.status == 0);
    auto received = server.received();
    CHECK(received.requests == 10);
    for (const auto& row : check_report(input, 10, received)) CHECK(row.outcome == "added");
}

TEST_CASE("a 201 whose body is cut short is never credited: the rows fail, to be sent again later") {
    hostile_process server("short-body");
    temp_dir dir;
    auto input = write_leads(dir, 3);
    auto r = server.import(input, {"--max-retries", "1"});
    INFO(r.err);
    CHECK(r.status == 75);  // transient: a later run sends them again
    auto received = server.received();
    CHECK(received.answered_2xx.empty());
    long attempts = 0;
    for (const auto& row : check_report(input, 3, received)) {
        CHECK(row.outcome == "failed");
        attempts += std::stol(row.attempts);
    }
    CHECK(received.requests == attempts);  // every attempt reached the server, none was credited
}
