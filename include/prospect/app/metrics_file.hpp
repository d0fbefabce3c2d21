// --metrics-file: what a run did, as Prometheus text exposition for the
// node_exporter textfile collector (written to a temporary file and renamed,
// so the collector never reads half a file). Values describe the last run,
// hence gauges; only the last success's time carries over from run to run.
#pragma once

#include "prospect/app/tally.hpp"
#include "prospect/policy/classify.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect::app {

// Requests by how they ended: an HTTP status or a transport failure.
// Counting allocates nothing (a slot per possible status).
class request_tally {
public:
    void add_status(int status);
    // A request that got no HTTP response (any kind but response).
    void add_failure(policy::attempt_kind k) { ++failures_[static_cast<std::size_t>(k)]; }
    std::uint64_t status_count(int status) const;
    std::uint64_t total() const;

    // (label value, count) in exposition order: statuses ascending ("201"),
    // then failures ("timeout"); only those that occurred.
    std::vector<std::pair<std::string, std::uint64_t>> labelled() const;

    // connect_error, timeout, connection_lost or tls_error (both TLS kinds).
    static std::string_view failure_label(policy::attempt_kind k);

private:
    // Slot 0 holds statuses outside 100-599 (a broken gateway), labelled "other".
    std::array<std::uint64_t, 600> statuses_{};
    std::array<std::uint64_t, 6> failures_{};  // by policy::attempt_kind (response's slot stays 0)
};

struct run_metrics {
    /// Rows by outcome; all six outcomes are written, zeros included.
    tally rows;
    /// Requests by HTTP status or transport failure.
    request_tally requests;
    /// Requests that repeated an earlier attempt of their row (429s included).
    std::uint64_t retries = 0;
    /// How long the run took, start to exit.
    std::chrono::duration<double> duration{};
    /// The run's exit status; 0 makes finished_at the last success.
    int exit_status = 0;
    /// When the run ended.
    std::chrono::system_clock::time_point finished_at{};
    /// The input as the user named it ('-' for standard input): the `input`
    /// label of every sample, so that the files of several jobs in one
    /// collector directory do not clash (escaped; empty: no label).
    std::string input;
};

// Seconds since the Unix epoch, as the exposition writes them.
double unix_seconds(std::chrono::system_clock::time_point t);

// The exposition text (format 0.0.4, HELP and TYPE for every metric).
// `previous_success` is the last success recorded by an earlier run: kept
// when this run did not exit 0; without one, 0 (alerting on its age then
// fires, as it should for a job that never succeeded).
std::string format_metrics(const run_metrics& m, std::optional<double> previous_success);

// The last success recorded in an earlier file's text; nullopt when absent
// or 0.
std::optional<double> parse_last_success(std::string_view exposition);

// Escapes a label value: backslash, double quote and line feed.
std::string escape_label_value(std::string_view v);

// Reads the last success from the file at `path` if any, then writes
// "<path>.tmp.<pid>" beside it, syncs it and renames it over `path`.
// Returns an error message naming the path, nullopt on success. A metrics
// failure is the caller's to log: it must not change the run's exit status.
std::optional<std::string> write_metrics_file(const std::string& path, const run_metrics& m);

}  // namespace prospect::app
