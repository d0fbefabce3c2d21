#include "prospect/report/background_sync.hpp"

#include <cerrno>
#include <unistd.h>

namespace prospect::report {

background_sync::background_sync(int fd) : fd_(fd), thread_([this] { run(); }) {}

background_sync::~background_sync() { stop(); }

void background_sync::request() {
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    wake_.notify_one();
}

int background_sync::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    return error_;
}

void background_sync::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return wanted_ || stopping_; });
        if (!wanted_) return;  // stopping, with every sync asked for done
        wanted_ = false;
        lock.unlock();
        const int failed = ::fdatasync(fd_) == 0 ? 0 : errno;
        lock.lock();
        if (failed != 0 && error_ == 0) error_ = failed;
    }
}

}  // namespace prospect::report
