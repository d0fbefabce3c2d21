// The precedence of exit statuses, in one table.
#include "prospect/app/exit_status.hpp"

#include <array>

namespace prospect::app {

namespace {

constexpr std::array severity_order{exit_internal,         exit_write_failed, exit_refused,
                                    exit_endpoint_missing, exit_sigint,       exit_sigterm,
                                    exit_usage,            exit_locked,       exit_transient,
                                    exit_some_rows,        exit_ok};

}  // namespace

exit_status most_severe(std::initializer_list<exit_status> applicable) noexcept {
    for (auto s : severity_order)
        for (auto a : applicable)
            if (a == s) return s;
    return exit_ok;
}

}  // namespace prospect::app
