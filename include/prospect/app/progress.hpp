// What the operator sees while a run goes on: a line redrawn in place on a
// terminal, a log line every few seconds otherwise (cron), nothing with
// --quiet. The formatting and the pacing are pure (time is a parameter);
// the caller samples the pipeline, asks tick() and writes what it returns.
#pragma once

#include "prospect/app/tally.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prospect::app {

// The pipeline's state at one instant, as cheap to fill as to copy.
struct progress_snapshot {
    /// Rows with an outcome so far (settled at reading, or finished sending).
    tally counts;
    /// Data rows read from the input so far: done, in flight or waiting.
    std::size_t rows_read = 0;
    /// Of the rows done, those that needed no request: invalid, duplicate, or
    /// final in an earlier run. They finish as fast as they are read, so the
    /// rate and the ETA leave them out.
    std::size_t settled_early = 0;
    /// The reader has reached the end of the input, so rows_read is the total.
    bool reading_done = false;
    /// Input bytes up to the last row read (csv::record_reader::bytes_consumed()),
    /// not the chunk read ahead of it: a small file is read whole at once.
    std::uint64_t bytes_read = 0;
    /// The input's size when it is a regular file; 0 when unknown (a pipe).
    std::uint64_t input_size = 0;
    /// What is left of the pool-wide pause a Retry-After imposed; zero when none.
    std::chrono::steady_clock::duration throttle_pause{};
    /// The pool's effective request rate (requests/s); 0 when not known.
    double effective_rate = 0;
    /// --rate; <= 0 or infinity when unlimited.
    double configured_rate = 0;
};

// How many rows the input holds: exact once reading is done; for a regular
// file, estimated from the rows per byte read so far (no second pass over
// the input); unknown for a pipe still being read.
struct row_total {
    std::size_t rows = 0;
    bool known = false;
    bool exact = false;
};
row_total estimate_total(const progress_snapshot& s);

// Seconds to go at `rows_per_second` (rows that needed a request): the rows
// read and not yet done, plus the rows still to read that will need a
// request, in the share of the rows read so far; nullopt without a total or
// a rate.
std::optional<std::chrono::seconds> estimate_eta(const progress_snapshot& s, double rows_per_second);

// "45s", "1m45s", "2h03m", "3d04h": to the second under an hour, coarser above.
std::string format_duration(std::chrono::steady_clock::duration d);

// The in-place line, at most width - 1 columns (a line that wraps cannot be
// redrawn), dropping the least useful parts first:
// "[#########...........]   45%  4,500/~10,000 rows  52.1/s  ETA 1m46s  added 4,400  invalid 90"
// rows_per_second <= 0: not measured yet. ANSI colours only when `color`.
std::string format_progress_line(const progress_snapshot& s, double rows_per_second, bool color,
                                 std::size_t width);

// The log line for a non-terminal, without the program prefix:
// "progress after 1m40s: 4,500/~10,000 rows (45%), 52.1 rows/s, ETA 1m46s; added 4,400, invalid 90"
std::string format_log_line(const progress_snapshot& s, double rows_per_second,
                            std::chrono::steady_clock::duration elapsed);

struct progress_params {
    /// Standard error is a terminal: one line redrawn in place; otherwise log lines.
    bool tty = false;
    /// ANSI colours on the terminal line (the caller checks NO_COLOR: color_allowed()).
    bool color = false;
    /// --quiet: no progress at all; errors and the summary are the log's business.
    bool quiet = false;
    /// The terminal's width in columns.
    std::size_t width = 80;
    /// Shortest time between two redraws on a terminal (about 10 a second).
    std::chrono::steady_clock::duration redraw_interval = std::chrono::milliseconds(100);
    /// Time between two log lines when not on a terminal.
    std::chrono::steady_clock::duration log_interval = std::chrono::seconds(10);
    /// The rows/s rate is measured over about this much recent time.
    std::chrono::steady_clock::duration rate_window = std::chrono::seconds(10);
};

// Paces the output and measures the rate from the snapshots it is shown.
// tick() is cheap when there is nothing to write (a comparison or two), so it
// may be called per finished row or from a timer every poll_interval().
class progress_reporter {
public:
    using clock = std::chrono::steady_clock;

    progress_reporter(const progress_params& params, clock::time_point start);

    // Bytes to write to standard error now, empty when nothing is due. On a
    // terminal: "\r" + the line + erase-to-end-of-line (no newline); otherwise a
    // whole log line "prospect-import: progress ...\n". Valid until the next call.
    std::string_view tick(const progress_snapshot& s, clock::time_point now);

    // Erases the line on the terminal if one is drawn (before the summary or
    // any other output on standard error); empty otherwise. The next tick
    // redraws it.
    std::string_view clear();

    // A timer period at which tick() sees every due output in time.
    clock::duration poll_interval() const;

    // Rows finished by sending per second over the recent window (settled
    // rows left out); 0 until measurable.
    double rows_per_second(const progress_snapshot& s, clock::time_point now) const;

private:
    struct sample {
        clock::time_point at;
        std::size_t done = 0;
    };
    static constexpr std::size_t max_samples = 40;

    void record(const progress_snapshot& s, clock::time_point now);

    progress_params params_;
    clock::time_point start_;
    clock::time_point next_output_;
    std::array<sample, max_samples> samples_{};
    std::size_t first_ = 0;  // ring: oldest sample
    std::size_t count_ = 0;
    std::string out_;
    std::string drawn_;  // the line on the terminal now; empty when none
};

// NO_COLOR (https://no-color.org: set and not empty) and TERM=dumb turn colour off.
bool color_allowed(const char* no_color, const char* term);

// The params for this process: standard error a terminal or not, its width,
// NO_COLOR and TERM from the environment.
progress_params progress_params_for_stderr(bool quiet);

// Writes all of `bytes` to standard error in one write(2) where it can.
void write_stderr(std::string_view bytes);

}  // namespace prospect::app
