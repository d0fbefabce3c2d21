// The API key must never reach a core file: the process gives up core dumps
// before it reads the key (and before anything else, so no path forgets it).
#pragma once

namespace prospect::app {

// Marks the process not dumpable (PR_SET_DUMPABLE 0): no core file, and no
// ptrace attach or /proc/PID/mem read by another process of the same user.
void forbid_core_dumps() noexcept;

}  // namespace prospect::app
