// The share is an equal split: the importers' real demands are unknown
// without Redis, and an equal split is the one that cannot overshoot.
#include "prospect/shared_limit/fallback_share.hpp"

#include <algorithm>

namespace prospect::shared_limit {

local_share fallback_share(double rate, double burst, std::size_t importers) {
    const double n = static_cast<double>(std::max<std::size_t>(importers, 1));
    return local_share{rate / n, std::max(1.0, burst / n)};
}

}  // namespace prospect::shared_limit
