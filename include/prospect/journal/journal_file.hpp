// The journal on disk: opened (and checked against this run's API) before
// anything is sent, compacted then if superseded records weigh as much as
// live ones, then appended to with group commits. A commit is one write and
// one sync, so after a power loss at most pending() rows plus the requests
// in flight can be sent again.
#pragma once

#include "prospect/journal/journal_format.hpp"
#include "prospect/journal/journal_index.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace prospect::journal {

// The journal belongs to another API (base URL or endpoint kind). Exit
// status 2; the message names both and how to go on.
class journal_mismatch : public journal_error {
public:
    using journal_error::journal_error;
};

// "journal J was written for base URL A (endpoint single); this run uses base URL B (endpoint single): ..."
std::string binding_mismatch_message(std::string_view path, const journal_header& found, const journal_header& wanted);

// The points of a compaction a crash can fall between (tests stop there).
enum class compaction_step {
    temp_written,  // the compacted copy is written, not synced
    temp_synced,   // synced, not yet renamed over the journal
    renamed,       // renamed, the directory not yet synced
};

// The temporary copy a compaction writes next to the journal.
std::string compaction_temp_path(const std::string& journal_path);

struct compaction_result {
    std::uint64_t entries_before = 0;
    std::uint64_t entries_after = 0;
    std::uint64_t bytes_before = 0;
    std::uint64_t bytes_after = 0;
};

struct journal_file_params {
    /// The journal's path (--journal).
    std::string path;
    /// What the journal's keys are bound to: this run's base URL and endpoint kind.
    journal_header header;
    /// Discard an existing journal and start afresh (--restart).
    bool restart = false;
    /// Makes written bytes durable; fdatasync(fd) when empty. Tests count syncs through it.
    std::function<void(int fd)> sync;
    /// Called at each step of a compaction; tests simulate a crash there.
    std::function<void(compaction_step)> on_compaction_step;
};

struct loaded_journal {
    std::optional<journal_header> header;
    journal_index index;
    std::uint64_t valid_size = 0;
    std::uint64_t torn_bytes = 0;
};

// What an existing journal holds, read without changing it.
loaded_journal load(const std::string& path);

class journal_file {
public:
    // Creates the journal, or opens an existing one bound to the same API,
    // cuts off a torn tail and compacts it when worth_compacting(). An
    // existing journal with no entries is started afresh, whatever its
    // header. Throws journal_mismatch, journal_error, or std::system_error
    // naming the path.
    explicit journal_file(journal_file_params params);
    ~journal_file();
    journal_file(const journal_file&) = delete;
    journal_file& operator=(const journal_file&) = delete;

    // Final outcomes recorded by earlier runs, by key.
    const journal_index& earlier() const { return earlier_; }
    // Bytes of a torn last commit that were dropped on open (worth a log line).
    std::uint64_t torn_bytes_dropped() const { return torn_bytes_; }
    // What the compaction at open did, if there was one.
    const std::optional<compaction_result>& compacted() const { return compacted_; }

    // Buffers the key's outcome (added or rejected, else
    // std::invalid_argument). Durable only after the next commit().
    void append(const journal_entry& entry);
    // Writes everything appended since the last flush as one frame, without
    // syncing: it then survives a crash or kill -9 of this process, not a
    // power loss. The importer flushes before each request it sends, so that
    // a killed run sends again at most the requests that were in flight.
    void flush();
    // Rows appended and not yet written (flush() has something to do).
    bool has_unwritten() const { return pending_rows_ > 0; }
    // Flushes, then syncs once for every row flushed since the last sync
    // (group commit). Nothing written since: no sync.
    void commit();
    // Rows not yet synced: what a power loss now could forget.
    std::size_t pending() const { return pending_rows_ + unsynced_rows_; }
    std::uint64_t committed_rows() const { return committed_rows_; }
    std::uint64_t syncs() const { return syncs_; }
    const std::string& path() const { return params_.path; }

private:
    void open_existing();
    void start_afresh();
    void write_at_end(std::string_view bytes);
    void sync();

    journal_file_params params_;
    int fd_ = -1;
    std::uint64_t end_ = 0;  // size of the intact part of the file
    journal_index earlier_;
    std::uint64_t torn_bytes_ = 0;
    std::optional<compaction_result> compacted_;
    std::string pending_;  // one frame in the making; capacity reused across commits
    std::size_t frame_start_ = 0;
    std::size_t pending_rows_ = 0;   // appended, not yet written
    std::size_t unsynced_rows_ = 0;  // written, not yet synced
    std::uint64_t committed_rows_ = 0;
    std::uint64_t syncs_ = 0;
};

}  // namespace prospect::journal
