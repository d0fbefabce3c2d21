// Messages for the operator on standard error, filtered by --quiet/--verbose.
// Every line starts with the program name so cron mail says who wrote it.
#pragma once

#include "prospect/app/config.hpp"

#include <fmt/format.h>
#include <string_view>

namespace prospect::app {

class log {
public:
    explicit log(verbosity v) : verbosity_(v) {}

    template <class... Args>
    void error(fmt::format_string<Args...> f, Args&&... args) const {
        write(fmt::format(f, std::forward<Args>(args)...));
    }
    // The end-of-run summary: shown even with --quiet.
    template <class... Args>
    void summary(fmt::format_string<Args...> f, Args&&... args) const {
        write(fmt::format(f, std::forward<Args>(args)...));
    }
    template <class... Args>
    void info(fmt::format_string<Args...> f, Args&&... args) const {
        if (verbosity_ != verbosity::quiet) write(fmt::format(f, std::forward<Args>(args)...));
    }
    template <class... Args>
    void verbose(fmt::format_string<Args...> f, Args&&... args) const {
        if (verbosity_ == verbosity::verbose) write(fmt::format(f, std::forward<Args>(args)...));
    }
    verbosity level() const { return verbosity_; }

private:
    static void write(std::string_view line);
    verbosity verbosity_;
};

}  // namespace prospect::app
