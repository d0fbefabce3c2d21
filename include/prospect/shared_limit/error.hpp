// The one exception of the shared limit layer: a --shared-limit URL that
// cannot be used, or a Redis that cannot be reached at start. Its message is
// for the user and names the URL; the app maps it to exit status 2.
#pragma once

#include <stdexcept>

namespace prospect::shared_limit {

struct shared_limit_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace prospect::shared_limit
