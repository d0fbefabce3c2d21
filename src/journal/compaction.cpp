// Compaction reads the journal a second time rather than holding its
// entries: the index knows which entry of each key is the latest (its
// ordinal), so memory stays the index's. Frames are cut at about 1 MiB.
#include "compaction.hpp"

#include "file_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace prospect::journal::detail {

namespace {

constexpr std::size_t frame_target = 1u << 20;

void step(const journal_file_params& p, compaction_step s) {
    if (p.on_compaction_step) p.on_compaction_step(s);
}

}  // namespace

compaction_result compact(int fd, const journal_file_params& p, const journal_index& index,
                          std::uint64_t bytes_before) {
    compaction_result r;
    r.entries_before = index.entries();
    r.bytes_before = bytes_before;
    const auto temp = compaction_temp_path(p.path);
    int out = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out < 0) throw_errno("cannot create " + temp + " to compact journal " + p.path);
    try {
        std::string buf;
        append_header_frame(buf, p.header);
        auto frame = begin_entries_frame(buf);
        std::size_t in_frame = 0;
        auto write_frame = [&] {
            seal_frame(buf, frame);
            write_all(out, buf, r.bytes_after, temp);
            r.bytes_after += buf.size();
            buf.clear();
            frame = begin_entries_frame(buf);
            in_frame = 0;
        };
        read_journal(fd, p.path, [&](const journal_entry& e, std::uint64_t ordinal) {
            if (!index.is_latest(e, ordinal)) return;
            if (in_frame > 0 && buf.size() + entry_size(e) > frame_target) write_frame();
            append_entry(buf, e);
            ++in_frame;
            ++r.entries_after;
        });
        if (in_frame > 0) {
            write_frame();
        } else {
            buf.resize(frame);
            write_all(out, buf, r.bytes_after, temp);
            r.bytes_after += buf.size();
        }
        step(p, compaction_step::temp_written);
        if (::fsync(out) != 0) throw_errno("cannot sync " + temp);
        step(p, compaction_step::temp_synced);
    } catch (...) {
        ::close(out);
        throw;
    }
    ::close(out);
    if (::rename(temp.c_str(), p.path.c_str()) != 0) throw_errno("cannot rename " + temp + " over journal " + p.path);
    step(p, compaction_step::renamed);
    sync_directory(p.path);
    return r;
}

}  // namespace prospect::journal::detail
