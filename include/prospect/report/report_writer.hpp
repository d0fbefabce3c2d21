// The one component that writes the per-row report, for the dry run and the
// live import alike. A file report is written to a temporary file unique to
// the run (PATH.XXXXXX.tmp) and renamed into place by finish(), so a reader
// never sees half a report.
#pragma once

#include "prospect/report/csv_record.hpp"
#include "prospect/report/jsonl_record.hpp"
#include "prospect/report/sync_schedule.hpp"
#include "prospect/report/format.hpp"
#include "prospect/report/row_result.hpp"

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

namespace prospect::report {

class background_sync;

// A report that cannot be created or written (exit status 2 at start).
struct report_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class report_writer {
public:
    // path "-" = standard output.
    report_writer(std::string path, format fmt);
    report_writer(const report_writer&) = delete;
    report_writer& operator=(const report_writer&) = delete;
    ~report_writer();  // without finish(): the temporary file is removed

    void write(const row_result& r);
    // Flushes, syncs and renames into place. Throws report_error.
    void finish();
    const std::string& path() const { return path_; }

private:
    void flush();
    // Writes the whole flush steps of data[0, size) and moves the rest to
    // the front; returns its size.
    std::size_t write_steps(char* data, std::size_t size);
    void write_all(const char* data, std::size_t size);
    // Flushes, and grows the buffer when a record needs more than it holds.
    void make_room(std::size_t bytes);

    std::string path_;
    std::string tmp_path_;
    format format_;
    int fd_ = -1;
    bool finished_ = false;
    sync_schedule syncs_;
    std::unique_ptr<background_sync> syncer_;  // from the first sync due on
    // Allocated once and written in place, [0, used_) waiting to be written.
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t used_ = 0;
    csv_record_writer csv_;
};

}  // namespace prospect::report
