// The exposition text and its atomic replacement. The file is rewritten
// whole at the end of each run; the only value read back is the last
// success's time, so that a failed run does not erase when the job last worked.
#include "prospect/app/metrics_file.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <numeric>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace prospect::app {

namespace {

constexpr std::string_view last_success_name = "prospect_import_last_success_timestamp_seconds";

class exposition {
public:
    explicit exposition(const run_metrics& m) {
        if (!m.input.empty()) constant_ = fmt::format("input=\"{}\"", escape_label_value(m.input));
    }

    void metric(std::string_view name, std::string_view help) {
        out_ += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
    }

    // One sample; `label` is "" or a name whose `value` gets escaped.
    void sample(std::string_view name, std::string_view label, std::string_view value, std::string_view number) {
        out_ += name;
        if (!constant_.empty() || !label.empty()) {
            out_ += '{';
            out_ += constant_;
            if (!label.empty()) {
                if (!constant_.empty()) out_ += ',';
                out_ += fmt::format("{}=\"{}\"", label, escape_label_value(value));
            }
            out_ += '}';
        }
        out_ += ' ';
        out_ += number;
        out_ += '\n';
    }

    std::string take() { return std::move(out_); }

private:
    std::string constant_;
    std::string out_;
};

std::string seconds_text(double s) { return fmt::format("{:.3f}", s); }

}  // namespace

void request_tally::add_status(int status) {
    ++statuses_[status >= 100 && status < static_cast<int>(statuses_.size()) ? static_cast<std::size_t>(status) : 0];
}

std::uint64_t request_tally::status_count(int status) const {
    return status >= 100 && status < static_cast<int>(statuses_.size()) ? statuses_[static_cast<std::size_t>(status)]
                                                                          : statuses_[0];
}

std::uint64_t request_tally::total() const {
    return std::accumulate(statuses_.begin(), statuses_.end(), std::uint64_t{0}) +
           std::accumulate(failures_.begin(), failures_.end(), std::uint64_t{0});
}

std::vector<std::pair<std::string, std::uint64_t>> request_tally::labelled() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::size_t s = 100; s < statuses_.size(); ++s)
        if (statuses_[s]) out.emplace_back(fmt::format("{}", s), statuses_[s]);
    if (statuses_[0]) out.emplace_back("other", statuses_[0]);
    for (std::string_view label : {"connect_error", "timeout", "connection_lost", "tls_error"}) {
        std::uint64_t n = 0;
        for (std::size_t i = 0; i < failures_.size(); ++i)
            if (failure_label(static_cast<policy::attempt_kind>(i)) == label) n += failures_[i];
        if (n) out.emplace_back(label, n);
    }
    return out;
}

std::string_view request_tally::failure_label(policy::attempt_kind k) {
    switch (k) {
    case policy::attempt_kind::response: break;
    case policy::attempt_kind::connect_failed: return "connect_error";
    case policy::attempt_kind::timed_out: return "timeout";
    case policy::attempt_kind::connection_lost: return "connection_lost";
    case policy::attempt_kind::tls_failed:
    case policy::attempt_kind::tls_verify_failed: return "tls_error";
    }
    return "other";
}

double unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string escape_label_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string format_metrics(const run_metrics& m, std::optional<double> previous_success) {
    exposition e(m);
    e.metric("prospect_import_rows", "Rows of the last run by outcome.");
    for (auto o : policy::all_outcomes)
        e.sample("prospect_import_rows", "outcome", policy::to_string(o), fmt::format("{}", m.rows.count(o)));

    e.metric("prospect_import_requests",
             "Requests the last run sent, by HTTP status or transport failure (connect_error, timeout, "
             "connection_lost, tls_error).");
    for (const auto& [label, n] : m.requests.labelled())
        e.sample("prospect_import_requests", "status", label, fmt::format("{}", n));

    e.metric("prospect_import_retries", "Requests of the last run that repeated an earlier attempt of their row.");
    e.sample("prospect_import_retries", "", "", fmt::format("{}", m.retries));

    e.metric("prospect_import_duration_seconds", "How long the last run took.");
    e.sample("prospect_import_duration_seconds", "", "", seconds_text(m.duration.count()));

    e.metric("prospect_import_exit_status",
             "Exit status of the last run: 0 all added, 1 some rows for a person, 2 usage, 3 key or certificate "
             "refused, 4 another run held a lock, 69 endpoint missing, 70 internal error, 74 local write failed, "
             "75 rows left for a later run, 130/143 interrupted.");
    e.sample("prospect_import_exit_status", "", "", fmt::format("{}", m.exit_status));

    const double ended = unix_seconds(m.finished_at);
    e.metric("prospect_import_last_run_timestamp_seconds", "When the last run ended, in Unix time.");
    e.sample("prospect_import_last_run_timestamp_seconds", "", "", seconds_text(ended));

    const double success = m.exit_status == 0 ? ended : previous_success.value_or(0);
    e.metric(last_success_name, "When the last run that exited 0 ended, in Unix time; 0 if none did.");
    e.sample(last_success_name, "", "", seconds_text(success));
    return e.take();
}

std::optional<double> parse_last_success(std::string_view text) {
    while (!text.empty()) {
        auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        if (!line.starts_with(last_success_name)) continue;
        std::size_t i = last_success_name.size();
        if (i < line.size() && line[i] == '{') {
            // Label values may hold '}' inside quotes.
            bool quoted = false;
            for (++i; i < line.size(); ++i) {
                if (quoted && line[i] == '\\')
                    ++i;
                else if (line[i] == '"')
                    quoted = !quoted;
                else if (!quoted && line[i] == '}')
                    break;
            }
            ++i;
        }
        if (i >= line.size() || line[i] != ' ') continue;
        while (i < line.size() && line[i] == ' ') ++i;
        double v = 0;
        auto [end, ec] = std::from_chars(line.data() + i, line.data() + line.size(), v);
        if (ec != std::errc() || !std::isfinite(v) || v <= 0) return std::nullopt;
        return v;
    }
    return std::nullopt;
}

std::optional<std::string> write_metrics_file(const std::string& path, const run_metrics& m) {
    std::optional<double> previous;
    if (std::ifstream in(path); in) {
        std::ostringstream text;
        text << in.rdbuf();
        previous = parse_last_success(text.str());
    }
    const std::string text = format_metrics(m, previous);
    // The collector reads only *.prom, so the temporary name is never collected.
    const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
    auto failed = [&](std::string_view what) {
        std::string message = fmt::format("--metrics-file {}: cannot {}: {}", path, what, std::strerror(errno));
        ::unlink(tmp.c_str());
        return message;
    };

    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fmt::format("--metrics-file {}: cannot create {}: {}", path, tmp, std::strerror(errno));
    // The collector runs as another user; the numbers are not secret, whatever the umask.
    ::fchmod(fd, 0644);
    std::string_view rest = text;
    while (!rest.empty()) {
        ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            auto message = failed("write it");
            ::close(fd);
            return message;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // Synced before the rename, so that a crash leaves the old file or the
    // new one, never an empty one.
    if (::fsync(fd) != 0) {
        auto message = failed("sync it");
        ::close(fd);
        return message;
    }
    if (::close(fd) != 0) return failed("write it");
    if (::rename(tmp.c_str(), path.c_str()) != 0) return failed(fmt::format("rename {} over it", tmp));
    return std::nullopt;
}

}  // namespace prospect::app
