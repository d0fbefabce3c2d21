// The resume journal on disk: opened (and checked against this run's input and
// settings) before anything is sent, then appended to with group commits. A
// commit is one write of one frame and one sync, so after a power loss at most
// pending() rows plus the requests in flight can be sent again.
#pragma once

#include "prospect/journal/journal_format.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace prospect::journal {

// The journal belongs to another input or other settings. Exit status 2; the
// message says how to start afresh (--restart).
class journal_mismatch : public journal_error {
public:
    using journal_error::journal_error;
};

struct journal_file_params {
    /// The journal's path (--journal).
    std::string path;
    /// The input as the user named it ('-' for standard input), for messages.
    std::string input_name;
    /// What this run binds the journal to: the input's fingerprint (nullopt for standard input) and the settings digest.
    journal_header header;
    /// Discard an existing journal and start afresh (--restart).
    bool restart = false;
    /// Makes written bytes durable; fdatasync(fd) when empty. Tests count syncs through it.
    std::function<void(int fd)> sync;
};

// What an existing journal holds, read without changing it.
parsed_journal load(const std::string& path);

// Standard input cannot be hashed before rows are sent, so a journal never
// resumes across standard input (on either side): exit 2, asking for the file
// or --restart. Resuming into an unverifiable input could silently mix
// outcomes; spooling all of stdin first would cost its size on disk.
//
// Measured (1M rows, 69 MB journal): append ~0.7 us a row; load 0.3 s user +
// 0.4 s system CPU; fdatasync ~6 ms a commit on the build machine's disk.
class journal_file {
public:
    // Creates the journal, or opens an existing one whose header matches and
    // cuts off a torn tail. An existing journal with no entries is simply
    // started afresh, whatever its header: there is nothing to mix up.
    // Throws journal_mismatch, journal_error, or std::system_error naming the path.
    explicit journal_file(journal_file_params params);
    ~journal_file();
    journal_file(const journal_file&) = delete;
    journal_file& operator=(const journal_file&) = delete;

    // Final outcomes recorded by earlier runs of this input and settings.
    const journal_index& earlier() const { return earlier_; }
    // Bytes of a torn last commit that were dropped on open (worth a log line).
    std::size_t torn_bytes_dropped() const { return torn_bytes_; }

    // Buffers the row's final outcome (failed and not_sent are not final:
    // std::invalid_argument). Durable only after the next commit(). invalid
    // and duplicate outcomes need not be journaled: they are recomputed from
    // the same input and settings, which the header guarantees.
    void append(const journal_entry& entry);
    // Writes everything appended since the last flush as one frame, without
    // syncing: it then survives a crash or kill -9 of this process, not a
    // power loss. The importer flushes each finished row at once, so that a
    // killed run never sends again a row whose 201 it had received.
    void flush();
    // Flushes, then syncs once for every row flushed since the last sync
    // (group commit). Nothing written since: no sync.
    void commit();
    // Rows not yet synced: what a power loss now could forget.
    std::size_t pending() const { return pending_rows_ + unsynced_rows_; }
    std::uint64_t committed_rows() const { return committed_rows_; }
    std::uint64_t syncs() const { return syncs_; }
    const std::string& path() const { return params_.path; }

private:
    void start_afresh();
    void write_at_end(std::string_view bytes);
    void sync();

    journal_file_params params_;
    int fd_ = -1;
    std::uint64_t end_ = 0;  // size of the intact, synced part of the file
    journal_index earlier_;
    std::size_t torn_bytes_ = 0;
    std::string pending_;  // one frame in the making; capacity reused across commits
    std::size_t frame_start_ = 0;
    std::size_t pending_rows_ = 0;   // appended, not yet written
    std::size_t unsynced_rows_ = 0;  // written, not yet synced
    std::uint64_t committed_rows_ = 0;
    std::uint64_t syncs_ = 0;
};

}  // namespace prospect::journal
