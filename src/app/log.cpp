// One write(2) a line, so lines from a progress redraw and a log never interleave.
#include "prospect/app/log.hpp"

#include <string>
#include <unistd.h>

namespace prospect::app {

void log::write(std::string_view line) {
    // On a terminal, first erase a progress line drawn in place.
    static const bool tty = ::isatty(STDERR_FILENO) == 1;
    std::string out = tty ? "\r\x1b[K" : "";
    out += "prospect-import: ";
    out.append(line);
    out.push_back('\n');
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::write(STDERR_FILENO, out.data() + done, out.size() - done);
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace prospect::app
