// Journal file I/O: open-or-create with the binding check, torn-tail
// cut-off, compaction at open, and group commit (pwrite at the end of the
// intact part, then one sync). Writing at an explicit offset rather than
// O_APPEND means a failed, partial write is simply overwritten by the next.
#include "prospect/journal/journal_file.hpp"

#include "compaction.hpp"
#include "file_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace prospect::journal {

using detail::throw_errno;

std::string binding_mismatch_message(std::string_view path, const journal_header& found, const journal_header& wanted) {
    return fmt::format("journal {} was written for base URL {} (endpoint {}); this run uses base URL {} (endpoint {}): "
                       "use another --journal, or --restart to forget it",
                       path, found.base_url, found.endpoint, wanted.base_url, wanted.endpoint);
}

std::string compaction_temp_path(const std::string& journal_path) { return journal_path + ".compact"; }

loaded_journal load(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("cannot open journal " + path);
    loaded_journal r;
    try {
        auto parser = detail::read_journal(fd, path, [&](const journal_entry& e, std::uint64_t ordinal) {
            r.index.add(e, ordinal);
        });
        r.index.seal();
        r.header = parser.header();
        r.valid_size = parser.valid_size();
        r.torn_bytes = parser.torn_bytes();
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return r;
}

journal_file::journal_file(journal_file_params params) : params_(std::move(params)) {
    // A compaction killed before its rename leaves its copy; the journal itself is whole.
    if (::unlink(compaction_temp_path(params_.path).c_str()) != 0 && errno != ENOENT)
        throw_errno("cannot remove " + compaction_temp_path(params_.path));
    fd_ = ::open(params_.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) throw_errno("cannot open journal " + params_.path);
    try {
        if (params_.restart) {
            // Even --restart must not truncate a file that is not a journal (a mistyped --journal).
            journal_parser probe(params_.path);
            char head[4];
            ssize_t n = ::pread(fd_, head, sizeof head, 0);
            if (n < 0) throw_errno("cannot read journal " + params_.path);
            probe.parse(std::string_view(head, static_cast<std::size_t>(n)), {});
            start_afresh();
        } else {
            open_existing();
        }
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

void journal_file::open_existing() {
    journal_index index;
    auto parser = detail::read_journal(fd_, params_.path, [&](const journal_entry& e, std::uint64_t ordinal) {
        index.add(e, ordinal);
    });
    if (!parser.header() || parser.entries() == 0) {
        start_afresh();
        return;
    }
    if (*parser.header() != params_.header)
        throw journal_mismatch(binding_mismatch_message(params_.path, *parser.header(), params_.header));
    index.seal();
    end_ = parser.valid_size();
    torn_bytes_ = parser.torn_bytes();
    if (worth_compacting(index.entries(), index.size())) {
        compacted_ = detail::compact(fd_, params_, index, end_ + torn_bytes_);
        ::close(fd_);
        fd_ = ::open(params_.path.c_str(), O_RDWR | O_CLOEXEC);
        if (fd_ < 0) throw_errno("cannot open journal " + params_.path + " after compacting it");
        end_ = compacted_->bytes_after;
    } else if (torn_bytes_ > 0 && ::ftruncate(fd_, static_cast<off_t>(end_)) != 0) {
        throw_errno("cannot truncate the torn end of journal " + params_.path);
    }
    earlier_ = std::move(index);
}

journal_file::~journal_file() {
    // Outcomes already appended are real; keep them if the run is unwinding.
    try {
        commit();
    } catch (...) {
    }
    ::close(fd_);
}

void journal_file::start_afresh() {
    if (::ftruncate(fd_, 0) != 0) throw_errno("cannot truncate journal " + params_.path);
    end_ = 0;
    std::string header;
    append_header_frame(header, params_.header);
    write_at_end(header);
    sync();
    end_ = header.size();
    detail::sync_directory(params_.path);
}

void journal_file::append(const journal_entry& entry) {
    if (entry.outcome != policy::outcome::added && entry.outcome != policy::outcome::rejected)
        throw std::invalid_argument(fmt::format("{}: the journal records added and rejected keys only, not {}",
                                                entry.normalized_url, to_string(entry.outcome)));
    // One commit is one frame: keep a frame within what a reader accepts.
    if (pending_rows_ > 0 && pending_.size() - frame_start_ - frame_header_size + entry_size(entry) > max_frame_payload)
        commit();
    if (pending_rows_ == 0) {
        pending_.clear();
        frame_start_ = begin_entries_frame(pending_);
    }
    append_entry(pending_, entry);
    ++pending_rows_;
}

void journal_file::flush() {
    if (pending_rows_ == 0) return;
    seal_frame(pending_, frame_start_);
    write_at_end(pending_);
    end_ += pending_.size();
    unsynced_rows_ += pending_rows_;
    pending_rows_ = 0;
    pending_.clear();
}

void journal_file::commit() {
    flush();
    if (unsynced_rows_ == 0) return;
    sync();
    committed_rows_ += unsynced_rows_;
    unsynced_rows_ = 0;
}

void journal_file::write_at_end(std::string_view bytes) { detail::write_all(fd_, bytes, end_, params_.path); }

void journal_file::sync() {
    if (params_.sync)
        params_.sync(fd_);
    else if (::fdatasync(fd_) != 0)
        throw_errno("cannot sync journal " + params_.path);
    ++syncs_;
}

}  // namespace prospect::journal
