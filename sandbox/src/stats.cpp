// A flat array indexed by status: counting is one increment on the hot path.
// The timeline's sliding window holds only the last second's arrivals, so
// recording is amortized constant time and the exact sliding maximum needs
// no list of every timestamp.
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

void post_timeline::record(clock::time_point at) {
    if (posts_ == 0) first_ = at;
    if (at < last_) at = last_;
    last_ = at;
    ++posts_;

    auto second = static_cast<std::size_t>((at - first_) / std::chrono::seconds(1));
    if (second >= per_second_.size()) per_second_.resize(second + 1, 0);
    ++per_second_[second];

    // Every window [t, t + 1 s) holding k POSTs ends at or after its last
    // one, a; then (a - 1 s, a] holds those k too. So checking the window
    // that ends at each arrival finds the maximum.
    while (!window_.empty() && window_.front() <= at - std::chrono::seconds(1)) window_.pop_front();
    window_.push_back(at);
    if (window_.size() > max_in_window_) max_in_window_ = window_.size();
}

std::chrono::microseconds post_timeline::span() const noexcept {
    return std::chrono::duration_cast<std::chrono::microseconds>(last_ - first_);
}

void post_timeline::append_json(std::string& out) const {
    out += "{\"posts\":";
    out += std::to_string(posts_);
    out += ",\"spanUs\":";
    out += std::to_string(span().count());
    out += ",\"maxInAnySecond\":";
    out += std::to_string(max_in_window_);
    out += ",\"perSecond\":[";
    for (std::size_t i = 0; i < per_second_.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(per_second_[i]);
    }
    out += "]}";
}

}  // namespace prospect::sandbox
