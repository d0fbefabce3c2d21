// The validated configuration of one run: what the command line means once
// every option has been checked (the raw flags never leave command_line.cpp).
#pragma once

#include "prospect/csv/record_reader.hpp"
#include "prospect/lead/validate.hpp"
#include "prospect/net/base_url.hpp"
#include "prospect/report/format.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace prospect::app {

enum class verbosity { quiet, normal, verbose };

// Which API endpoint carries the rows: v1 one row a request, v2 many.
enum class endpoint_kind { single, bulk };

struct config {
    std::string input_path;               // "-" = standard input
    csv::reader_params reader;            // display name, delimiter, --column mapping
    lead::defaults defaults;              // --campaign, --list, --move-duplicates
    bool dry_run = false;
    bool sandbox = false;                 // import into an in-process sandbox
    std::string report_path;              // "-" = standard output
    report::format report_format = report::format::csv;
    std::string journal_path;             // empty: no journal (dry run, --sandbox, standard input without --journal)
    bool restart = false;                 // --restart: discard the journal and start afresh
    std::string metrics_file;             // --metrics-file: Prometheus textfile written at the end
    std::string base_url{net::default_base_url};
    std::string api_key_file;             // --api-key-file; empty: EXTROVERT_API_KEY
    std::string api_key;                  // never logged; empty in a dry run; set by resolve_api_key
    bool strict = false;                  // --strict: refuse a key file group or others can read or write
    std::string ca_file;
    int connections = 4;
    double rate = 5;                      // requests per second
    double burst = 4;                     // token bucket capacity
    int max_retries = 5;
    std::chrono::milliseconds timeout{30'000};
    std::chrono::seconds max_throttle_wait{600};
    endpoint_kind endpoint = endpoint_kind::single;
    int batch_size = 100;                 // --batch-size: URLs a bulk request
    bool delete_if_inactive = false;      // --delete-if-inactive (bulk)
    std::string shared_limit;             // --shared-limit: Redis URL; empty: this process paces alone
    std::string limit_name;               // --limit-name; empty: derived from the base URL and the key
    app::verbosity verbosity = app::verbosity::normal;
};

}  // namespace prospect::app
