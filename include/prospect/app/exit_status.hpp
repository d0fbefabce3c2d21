// Exit statuses are a contract with schedulers (docs/contract.md, "Exit
// status"): the most severe applicable one wins. Startup and configuration
// problems are exceptions carrying their status, caught once in app::main.
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>

namespace prospect::app {

enum exit_status : int {
    exit_ok = 0,                 // every row added (dry run: every row valid, none a duplicate)
    exit_some_rows = 1,          // finished; some rows invalid, duplicate or rejected: a person reads the report
    exit_usage = 2,              // usage or configuration error found before sending; nothing sent
    exit_refused = 3,            // the API refused the key, or the certificate failed verification
    exit_locked = 4,             // another run holds the journal's or the report's lock
    exit_endpoint_missing = 69,  // 404/405 without the API's envelope: a wrong --base-url
    exit_internal = 70,          // an internal error of the importer
    exit_write_failed = 74,      // a local write (report, journal, metrics) failed during the run
    exit_transient = 75,         // finished, but rows failed or were not sent for transient reasons
    exit_sigint = 130,
    exit_sigterm = 143,
};

// The most severe of the statuses that apply: 70, 74, 3, 69, 130/143, 75,
// 1, 0 (2 and 4 happen before anything is sent and stand alone).
exit_status most_severe(std::initializer_list<exit_status> applicable) noexcept;

struct fatal_error : std::runtime_error {
    fatal_error(exit_status s, const std::string& message) : std::runtime_error(message), status(s) {}
    exit_status status;
};

// A usage or configuration error (exit 2).
inline fatal_error usage_error(const std::string& message) { return fatal_error(exit_usage, message); }

}  // namespace prospect::app
