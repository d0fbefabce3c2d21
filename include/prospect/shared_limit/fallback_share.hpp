// What an importer may send on its own while Redis is gone: the rate last in
// force on the shared limit divided by the importers last seen on it, so that
// however many of them lose Redis together, their sum stays within the limit.
#pragma once

#include <cstddef>

namespace prospect::shared_limit {

struct local_share {
    double rate = 0;   // requests per second
    double burst = 1;  // bucket capacity, at least one token
};

// `rate` and `burst`: the shared limit as last seen (the effective rate, after
// any cut for 429s, and the smallest burst); `importers`: how many were live
// on it (0 is taken as 1).
local_share fallback_share(double rate, double burst, std::size_t importers);

}  // namespace prospect::shared_limit
