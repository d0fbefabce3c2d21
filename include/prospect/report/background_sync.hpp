// fdatasync on a thread of its own, asked for while a report is still being
// written. On this kind of machine (a virtual disk whose host caches what
// the guest wrote) the sync before the rename waited about 90 ms for a
// 200 MB report even after sync_file_range had handed all of it to the
// disk: the host still had to write it. Synced along the way, the last sync
// finds little left. The thread mostly waits on the disk, so it costs a
// single-core run little; docs/benchmarks.md has the measures.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace prospect::report {

class background_sync {
public:
    explicit background_sync(int fd);
    background_sync(const background_sync&) = delete;
    background_sync& operator=(const background_sync&) = delete;
    ~background_sync();  // stop()

    // Asks for a sync of all written so far; asks made during one are met by
    // one more after it.
    void request();
    // Stops the thread once the syncs asked for are done; the errno of the
    // first that failed, else 0 (the kernel reports a write error to one
    // sync only, so it must not be lost here).
    int stop();

private:
    void run();

    int fd_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    int error_ = 0;
    std::thread thread_;
};

}  // namespace prospect::report
