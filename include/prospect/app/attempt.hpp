// The seam between the network and the policy: what one POST ended in, as
// the row machine sees it, and the words the report and the log use for it.
#pragma once

#include "prospect/net/api_connection.hpp"
#include "prospect/policy/row_fsm.hpp"

#include <chrono>
#include <string>

namespace prospect::app {

// Parses Retry-After against `now` (for HTTP dates).
policy::attempt_result to_attempt(const net::post_result& r, std::chrono::system_clock::time_point now);

// The report's message for a finished row: the API's own words for a
// rejected row, else why the row ended, with the last error's details.
std::string final_message(const policy::row_fsm& fsm, const policy::row_action& done,
                          const std::string& last_message);

// The message of the rows a fatal error left unsent.
std::string fatal_stop_message(const policy::row_fsm& fsm, const std::string& last_message);

}  // namespace prospect::app
