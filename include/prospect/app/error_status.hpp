// Every exception that can end a run, mapped once to the message the user
// sees and the exit status a scheduler acts on (used by app::main only).
#pragma once

#include "prospect/app/exit_status.hpp"

#include <exception>
#include <string>

namespace prospect::app {

struct error_verdict {
    exit_status status = exit_internal;
    std::string message;
};

error_verdict verdict_for(std::exception_ptr e);

}  // namespace prospect::app
