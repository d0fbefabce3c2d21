#include "prospect/app/no_core_dumps.hpp"

#include <sys/prctl.h>

namespace prospect::app {

void forbid_core_dumps() noexcept { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

}  // namespace prospect::app
