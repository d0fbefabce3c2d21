// When to sync a report still being written. A file report is synced before
// it is renamed into place; left to the end, that sync waited 0.1-0.17 s for
// a 200 MB report on this kind of machine (a virtual disk whose host writes
// out what the guest wrote only when asked), even after the kernel had been
// told to write it back early. Synced every `step` bytes along the way (by
// background_sync), the last sync waits for at most `step` bytes.
#pragma once

#include <cstdint>

namespace prospect::report {

class sync_schedule {
public:
    explicit sync_schedule(std::uint64_t step) : step_(step) {}

    // `bytes` more were written; true when a sync is due (`step` bytes or
    // more since the last one). Step 0: never.
    bool written(std::uint64_t bytes) noexcept {
        unsynced_ += bytes;
        if (step_ == 0 || unsynced_ < step_) return false;
        unsynced_ = 0;
        return true;
    }

private:
    std::uint64_t step_;
    std::uint64_t unsynced_ = 0;
};

}  // namespace prospect::report
