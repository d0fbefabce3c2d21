// A flat array indexed by status: counting is one increment on the hot path.
#include "prospect/sandbox/stats.hpp"

namespace prospect::sandbox {

void request_stats::count(int status) noexcept {
    ++by_status_[status >= 100 && status < 600 ? status : 0];
}

std::uint64_t request_stats::of(int status) const noexcept {
    return status >= 0 && status < 600 ? by_status_[status] : 0;
}

std::uint64_t request_stats::total() const noexcept {
    std::uint64_t n = dropped_;
    for (auto c : by_status_) n += c;
    return n;
}

void request_stats::append_json(std::string& out) const {
    out += "{\"requests\":";
    out += std::to_string(total());
    out += ",\"byStatus\":{";
    bool first = true;
    for (int s = 0; s < 600; ++s) {
        if (!by_status_[s]) continue;
        if (!first) out += ',';
        first = false;
        out += '"';
        out += std::to_string(s);
        out += "\":";
        out += std::to_string(by_status_[s]);
    }
    out += "},\"dropped\":";
    out += std::to_string(dropped_);
    out += '}';
}

}  // namespace prospect::sandbox
