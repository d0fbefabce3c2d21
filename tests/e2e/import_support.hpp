// What the import tests share: lead files of N rows, running the importer
// against a sandbox process, and reading back what the sandbox stored.
#pragma once

#include "sandbox_client.hpp"
#include "support/process.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace prospect::test {

// A lead file: header "url", then rows linkedin.com/in/lead-<i> for i in [first, first + n).
std::string lead_rows(std::size_t n, std::size_t first = 0);
// The normalized URL of lead_rows' row i.
std::string lead_url(std::size_t i);

// prospect-import --base-url <sandbox> --ca-file <its CA>, and --campaign campaign_1
// --list list_1 --rate 2000 unless `args` give their own, then `args`.
std::vector<std::string> importer_argv(const sandbox_process& s, const std::vector<std::string>& args);
// The key in the environment, as a user would give it.
run_options with_key(const std::string& key = "sandbox-key");
// Runs importer_argv(s, args) with_key(key).
run_result import_into(const sandbox_process& s, std::vector<std::string> args, const std::string& key = "sandbox-key");

struct stored_prospect {
    std::string campaign, list;
    int posts = 0;
};
// GET /_sandbox/prospects, by URL.
std::map<std::string, stored_prospect> stored(const sandbox_process& s);

struct sandbox_stats {
    long requests = 0;
    std::map<int, long> by_status;
    long dropped = 0;
};
sandbox_stats stats(const sandbox_process& s);

// GET /_sandbox/timeline: POSTs received, their span, the most in any one
// second and the count in each second from the first.
struct sandbox_timeline {
    long posts = 0;
    long span_us = 0;
    long max_in_any_second = 0;
    std::vector<long> per_second;
};
sandbox_timeline timeline(const sandbox_process& s);

// Polls `ready` every few milliseconds until it holds; throws, naming `what`,
// after a minute. Tests wait for a state this way, never for a guessed time.
void wait_until(const std::function<bool()>& ready, const char* what);

struct report_row {
    std::size_t row = 0;
    std::string profile_url, normalized_url, campaign_id, list_id, outcome, http_status, attempts, message;
};
// Parses a CSV report as prospect-import writes it (quoted cells allowed).
std::vector<report_row> read_report(const std::string& path);

}  // namespace prospect::test
