// Exit statuses are a contract with schedulers (docs/contract.md, "Exit status").
// Startup and configuration problems are exceptions carrying their status,
// caught once in app::main.
#pragma once

#include <stdexcept>
#include <string>

namespace prospect::app {

enum exit_status : int {
    exit_ok = 0,           // every row added (dry run: every row valid, none a duplicate)
    exit_some_rows = 1,    // finished, but some rows invalid, duplicate, rejected or failed
    exit_usage = 2,        // usage or configuration error; nothing sent
    exit_fatal = 3,        // the API refused the key, or the certificate failed verification
    exit_locked = 4,       // another run holds the journal's lock
    exit_sigint = 130,
    exit_sigterm = 143,
};

struct fatal_error : std::runtime_error {
    fatal_error(exit_status s, const std::string& message) : std::runtime_error(message), status(s) {}
    exit_status status;
};

// A usage or configuration error (exit 2).
inline fatal_error usage_error(const std::string& message) { return fatal_error(exit_usage, message); }

}  // namespace prospect::app
