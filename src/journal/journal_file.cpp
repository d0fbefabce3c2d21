// Journal file I/O: open-or-create with the header check, torn-tail cut-off,
// and group commit (pwrite at the end of the intact part, then one sync).
// Writing at an explicit offset rather than O_APPEND means a failed, partial
// write is simply overwritten by the next attempt.
#include "prospect/journal/journal_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace prospect::journal {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

std::string read_all(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_errno("cannot read journal " + path);
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < bytes.size()) {
        ssize_t n = ::pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("cannot read journal " + path);
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);
    return bytes;
}

// Makes the journal's directory entry durable after it was created.
void sync_directory(const std::string& path) {
    auto dir = std::filesystem::path(path).parent_path();
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

std::string restart_hint() { return "run again with --restart to start afresh (rows already added may be sent again)"; }

void check_header(const journal_header& found, const journal_file_params& p) {
    const auto& want = p.header;
    if (!want.input)
        throw journal_mismatch(fmt::format(
            "cannot resume journal {} from standard input: it cannot be checked against the input the journal "
            "was written for before rows are sent; pass the input as a file to resume, or {}",
            p.path, restart_hint()));
    if (!found.input)
        throw journal_mismatch(fmt::format(
            "journal {} was written while reading standard input, which cannot be checked against {}; {}",
            p.path, p.input_name, restart_hint()));
    if (*found.input != *want.input)
        throw journal_mismatch(fmt::format(
            "{} is not the input journal {} was written for (its SHA-256 differs: {}, was {}); {}", p.input_name,
            p.path, to_hex(*want.input), to_hex(*found.input), restart_hint()));
    if (found.settings != want.settings)
        throw journal_mismatch(fmt::format(
            "journal {} was written with other settings (campaign, list, move-duplicates, column mapping, "
            "delimiter or base URL); run again with the same settings to resume, or {}",
            p.path, restart_hint()));
}

}  // namespace

parsed_journal load(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("cannot open journal " + path);
    std::string bytes;
    try {
        bytes = read_all(fd, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return parse_journal(bytes, path);
}

journal_file::journal_file(journal_file_params params) : params_(std::move(params)) {
    fd_ = ::open(params_.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) throw_errno("cannot open journal " + params_.path);
    try {
        auto bytes = read_all(fd_, params_.path);
        // Even --restart must not truncate a file that is not a journal (a mistyped --journal).
        auto parsed = parse_journal(bytes, params_.path);
        if (params_.restart || !parsed.header || parsed.entries.empty()) {
            start_afresh();
            return;
        }
        check_header(*parsed.header, params_);
        earlier_ = std::move(parsed.entries);
        end_ = parsed.valid_size;
        torn_bytes_ = parsed.torn_bytes;
        if (torn_bytes_ > 0 && ::ftruncate(fd_, static_cast<off_t>(end_)) != 0)
            throw_errno("cannot truncate the torn end of journal " + params_.path);
    } catch (...) {
        ::close(fd_);
        throw;
    }
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
    sync_directory(params_.path);
}

void journal_file::append(const journal_entry& entry) {
    if (!policy::is_final(entry.outcome))
        throw std::invalid_argument(
            fmt::format("row {}: the journal records final outcomes only, not {}", entry.row, to_string(entry.outcome)));
    // One commit is one frame: keep a frame within what a reader accepts.
    std::size_t entry_size = 8 + 1 + 2 + 4 + 4 + entry.message.size() + 4 + entry.normalized_url.size();
    if (pending_rows_ > 0 && pending_.size() - frame_header_size + entry_size > max_frame_payload) commit();
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

void journal_file::write_at_end(std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(end_ + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("cannot write journal " + params_.path);
        done += static_cast<std::size_t>(n);
    }
}

void journal_file::sync() {
    if (params_.sync)
        params_.sync(fd_);
    else if (::fdatasync(fd_) != 0)
        throw_errno("cannot sync journal " + params_.path);
    ++syncs_;
}

}  // namespace prospect::journal
