// fdatasync on a thread of its own, asked for while a report is still being
// written (sync_schedule.hpp says when), so that the program goes on
// formatting rows meanwhile. The thread mostly waits on the disk, so it
// costs a single-core run little; docs/benchmarks.md has the measures.
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
