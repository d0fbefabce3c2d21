// Progress lines and their pacing. The terminal line is laid out by visible
// width (colour escapes take none) and sheds its least useful parts to stay
// on one row; the rate comes from a small ring of (time, rows done) samples.
#include "prospect/app/progress.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace prospect::app {

using policy::outcome;
using clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view erase_to_eol = "\x1b[K";
constexpr std::string_view reset = "\x1b[0m";
constexpr std::size_t bar_cells = 20;

std::string_view color_of(outcome o) {
    switch (o) {
    case outcome::added: return "\x1b[32m";
    case outcome::rejected:
    case outcome::failed: return "\x1b[31m";
    case outcome::invalid:
    case outcome::duplicate: return "\x1b[33m";
    case outcome::not_sent: return "\x1b[2m";
    }
    return "";
}

std::string bytes_text(std::uint64_t n) {
    if (n < 1024) return fmt::format("{} B", n);
    static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n) / 1024;
    std::size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(units)) v /= 1024, ++u;
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string rate_text(double per_second) {
    return per_second < 100 ? fmt::format("{:.1f}", per_second) : fmt::format("{:.0f}", per_second);
}

std::string pause_text(clock::duration d) {
    if (d < std::chrono::seconds(10))
        return fmt::format("{:.1f}s", std::chrono::duration<double>(d).count());
    return format_duration(d);
}

int percent(std::size_t done, const row_total& total) {
    if (total.rows == 0) return total.exact ? 100 : 0;
    int p = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total.rows));
    // An estimate must not claim the end before it is reached.
    return std::clamp(p, 0, total.exact && done >= total.rows ? 100 : 99);
}

std::string rows_text(std::size_t done, const row_total& total) {
    if (!total.known) return fmt::format("{} rows", grouped(done));
    return fmt::format("{}/{}{} rows", grouped(done), total.exact ? "" : "~", grouped(total.rows));
}

bool slowed(const progress_snapshot& s) {
    const bool unlimited = !(s.configured_rate > 0) || std::isinf(s.configured_rate);
    if (!(s.effective_rate > 0) || std::isinf(s.effective_rate)) return false;
    return unlimited || s.effective_rate < s.configured_rate * 0.995;
}

// "" when the API is not holding the pool back. A pause comes from a
// Retry-After (on a 429 or a 503), a lowered rate from 429s.
std::string throttle_text(const progress_snapshot& s) {
    const bool paused = s.throttle_pause > clock::duration::zero();
    if (paused && slowed(s))
        return fmt::format("paused {} (Retry-After), slowed to {}/s (429)", pause_text(s.throttle_pause),
                           rate_text(s.effective_rate));
    if (paused) return fmt::format("paused {} (Retry-After)", pause_text(s.throttle_pause));
    if (slowed(s)) return fmt::format("slowed to {}/s (429)", rate_text(s.effective_rate));
    return {};
}

// One piece of the terminal line; pieces with a higher `drop` go first when
// the line is too wide, and `drop` 0 never goes.
struct part {
    std::string plain;
    int drop = 0;
    std::string_view color = {};
};

void join(std::string& out, const std::vector<part>& parts, bool color) {
    for (const auto& p : parts) {
        if (!out.empty()) out += "  ";
        if (color && !p.color.empty())
            out.append(p.color).append(p.plain).append(reset);
        else
            out += p.plain;
    }
}

}  // namespace

row_total estimate_total(const progress_snapshot& s) {
    if (s.reading_done) return {s.rows_read, true, true};
    if (s.input_size == 0 || s.bytes_read == 0) return {};
    double rows = static_cast<double>(s.rows_read) * static_cast<double>(s.input_size) /
                  static_cast<double>(s.bytes_read);
    return {std::max(s.rows_read, static_cast<std::size_t>(std::ceil(rows))), true, false};
}

std::optional<std::chrono::seconds> estimate_eta(const progress_snapshot& s, double rows_per_second) {
    auto total = estimate_total(s);
    if (!total.known || !(rows_per_second > 0)) return std::nullopt;
    const double read = static_cast<double>(s.rows_read);
    const double done = static_cast<double>(s.counts.rows());
    const double unread = total.rows > s.rows_read ? static_cast<double>(total.rows - s.rows_read) : 0.0;
    const double needs_request = read > 0 ? (read - static_cast<double>(s.settled_early)) / read : 1.0;
    const double remaining = std::max(0.0, read - done) + unread * needs_request;
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(remaining / rows_per_second)));
}

std::string format_duration(clock::duration d) {
    auto s = std::chrono::duration_cast<std::chrono::seconds>(d + std::chrono::milliseconds(500)).count();
    if (s < 0) s = 0;
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
    return fmt::format("{}d{:02}h", s / 86400, s % 86400 / 3600);
}

std::string format_progress_line(const progress_snapshot& s, double rows_per_second, bool color,
                                 std::size_t width) {
    const std::size_t done = s.counts.rows();
    const auto total = estimate_total(s);
    std::vector<part> parts;
    parts.reserve(6 + std::size(policy::all_outcomes));

    if (total.known) {
        int pct = percent(done, total);
        std::size_t filled = bar_cells * static_cast<std::size_t>(pct) / 100;
        parts.push_back({fmt::format("[{}{}]", std::string(filled, '#'), std::string(bar_cells - filled, '.')), 6});
        parts.push_back({fmt::format("{:3}%", pct), 0});
        parts.push_back({rows_text(done, total), 0});
    } else {
        parts.push_back({fmt::format("{} ({} read)", rows_text(done, total), bytes_text(s.bytes_read)), 0});
    }
    if (rows_per_second > 0) parts.push_back({rate_text(rows_per_second) + "/s", 3});
    if (auto eta = estimate_eta(s, rows_per_second)) parts.push_back({"ETA " + format_duration(*eta), 2});
    for (outcome o : policy::all_outcomes)
        if (auto n = s.counts.count(o))
            parts.push_back({fmt::format("{} {}", policy::to_string(o), grouped(n)), 5, color_of(o)});
    if (auto t = throttle_text(s); !t.empty()) parts.push_back({std::move(t), 1, "\x1b[33m"});

    const std::size_t limit = std::max<std::size_t>(width, 2) - 1;
    auto line_width = [&] {
        std::size_t w = 0;
        for (const auto& p : parts) w += p.plain.size();
        return w + 2 * (parts.size() - 1);
    };
    for (int drop = 6; drop > 0 && line_width() > limit; --drop) {
        // Outcome counts go together: a line showing some of them would mislead.
        std::erase_if(parts, [&](const part& p) { return p.drop == drop; });
    }

    std::string out;
    if (line_width() <= limit) {
        join(out, parts, color);
    } else {
        // A terminal too narrow for even the core: plain text, cut.
        join(out, parts, false);
        out.resize(limit);
    }
    return out;
}

std::string format_log_line(const progress_snapshot& s, double rows_per_second, clock::duration elapsed) {
    const std::size_t done = s.counts.rows();
    const auto total = estimate_total(s);
    std::string out = fmt::format("progress after {}: {}", format_duration(elapsed), rows_text(done, total));
    if (total.known)
        out += fmt::format(" ({}%)", percent(done, total));
    else
        out += fmt::format(" ({} read)", bytes_text(s.bytes_read));
    if (rows_per_second > 0) out += fmt::format(", {} rows/s", rate_text(rows_per_second));
    if (auto eta = estimate_eta(s, rows_per_second)) out += ", ETA " + format_duration(*eta);
    const char* sep = "; ";
    for (outcome o : policy::all_outcomes) {
        if (auto n = s.counts.count(o)) {
            out += fmt::format("{}{} {}", sep, policy::to_string(o), grouped(n));
            sep = ", ";
        }
    }
    if (auto t = throttle_text(s); !t.empty()) out += "; " + t;
    return out;
}

progress_reporter::progress_reporter(const progress_params& params, clock::time_point start)
    : params_(params),
      start_(start),
      // The first output waits one interval: a run that ends sooner shows only its summary.
      next_output_(start + (params.tty ? params.redraw_interval : params.log_interval)) {
    samples_[0] = {start, 0};
    count_ = 1;
}

void progress_reporter::record(const progress_snapshot& s, clock::time_point now) {
    // Spacing samples keeps the ring reaching back past the window however
    // often tick() is called.
    const auto spacing = params_.rate_window / static_cast<int>(max_samples - 8);
    const auto& newest = samples_[(first_ + count_ - 1) % max_samples];
    if (now - newest.at < spacing) return;
    if (count_ == max_samples) {
        first_ = (first_ + 1) % max_samples;
        --count_;
    }
    samples_[(first_ + count_) % max_samples] = {now, s.counts.rows() - s.settled_early};
    ++count_;
}

double progress_reporter::rows_per_second(const progress_snapshot& s, clock::time_point now) const {
    // The newest sample at least a window old, else the oldest there is.
    const sample* ref = &samples_[first_];
    for (std::size_t i = 0; i < count_; ++i) {
        const auto& c = samples_[(first_ + i) % max_samples];
        if (c.at > now - params_.rate_window) break;
        ref = &c;
    }
    const std::chrono::duration<double> span = now - ref->at;
    const std::size_t done = s.counts.rows() - s.settled_early;
    // Less than a second of history says more about bursts than about speed.
    if (span < std::chrono::seconds(1) || done < ref->done) return 0;
    return static_cast<double>(done - ref->done) / span.count();
}

std::string_view progress_reporter::tick(const progress_snapshot& s, clock::time_point now) {
    record(s, now);
    if (params_.quiet || now < next_output_) return {};
    const double rate = rows_per_second(s, now);
    if (params_.tty) {
        next_output_ = now + params_.redraw_interval;
        auto line = format_progress_line(s, rate, params_.color, params_.width);
        if (line == drawn_) return {};
        drawn_ = std::move(line);
        out_.assign("\r").append(drawn_).append(erase_to_eol);
        return out_;
    }
    next_output_ = now + params_.log_interval;
    out_.assign("prospect-import: ").append(format_log_line(s, rate, now - start_)).push_back('\n');
    return out_;
}

std::string_view progress_reporter::clear() {
    if (drawn_.empty()) return {};
    drawn_.clear();
    out_.assign("\r").append(erase_to_eol);
    return out_;
}

clock::duration progress_reporter::poll_interval() const {
    if (params_.tty) return params_.redraw_interval;
    return std::min<clock::duration>(params_.log_interval, std::chrono::seconds(1));
}

bool color_allowed(const char* no_color, const char* term) {
    if (no_color && *no_color) return false;
    return !(term && std::string_view(term) == "dumb");
}

progress_params progress_params_for_stderr(bool quiet) {
    progress_params p;
    p.quiet = quiet;
    p.tty = ::isatty(STDERR_FILENO) == 1;
    p.color = p.tty && color_allowed(std::getenv("NO_COLOR"), std::getenv("TERM"));
    winsize ws{};
    if (p.tty && ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) p.width = ws.ws_col;
    return p;
}

void write_stderr(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace prospect::app
