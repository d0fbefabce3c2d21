// Chunked reading keeps a journal of months (millions of entries, hundreds
// of MB) out of memory: only the index and one chunk are held.
#include "file_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace prospect::journal::detail {

namespace {

constexpr std::size_t read_chunk = 1u << 20;

}  // namespace

void throw_errno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

journal_parser read_journal(int fd, const std::string& path, const entry_visitor& visit) {
    journal_parser parser(path);
    std::string buf;
    std::uint64_t file_off = 0;
    for (;;) {
        auto have = buf.size();
        buf.resize(have + read_chunk);
        ssize_t n = ::pread(fd, buf.data() + have, read_chunk, static_cast<off_t>(file_off));
        if (n < 0) {
            buf.resize(have);
            if (errno == EINTR) continue;
            throw_errno("cannot read journal " + path);
        }
        buf.resize(have + static_cast<std::size_t>(n));
        file_off += static_cast<std::uint64_t>(n);
        // A bad frame stays at the front of buf until the end of the file
        // tells a torn tail from damage; only then can buf grow past a chunk.
        buf.erase(0, parser.parse(buf, visit));
        if (n == 0) break;
    }
    parser.finish(buf);
    return parser;
}

void write_all(int fd, std::string_view bytes, std::uint64_t at, const std::string& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(at + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("cannot write journal " + path);
        done += static_cast<std::size_t>(n);
    }
}

void sync_directory(const std::string& path) {
    auto dir = std::filesystem::path(path).parent_path();
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace prospect::journal::detail
