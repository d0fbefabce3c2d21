// The file is read once at start; URLs are kept normalized, so any form of a
// profile a client sends matches.
#include "prospect/sandbox/foreign_prospects.hpp"

#include "prospect/lead/profile_url.hpp"

#include <fstream>
#include <stdexcept>

namespace prospect::sandbox {

foreign_prospects::foreign_prospects(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("--foreign-prospects " + path + ": cannot be read");
    std::string line, url;
    for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
        auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') continue;
        auto last = line.find_last_not_of(" \t\r");
        if (auto err = lead::normalize_profile_url(std::string_view(line).substr(first, last + 1 - first), url))
            throw std::runtime_error("--foreign-prospects " + path + ": line " + std::to_string(line_no) + ": " +
                                     std::string(lead::describe(*err)));
        urls_.insert(url);
    }
    if (in.bad()) throw std::runtime_error("--foreign-prospects " + path + ": read error");
}

bool foreign_prospects::contains(std::string_view profile_url) const { return urls_.contains(profile_url); }

}  // namespace prospect::sandbox
