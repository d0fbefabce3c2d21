// The batcher's non-generic parts: the limits on its parameters and the key's
// hash.
#include "prospect/policy/batcher.hpp"

#include <functional>
#include <stdexcept>

namespace prospect::policy {

void check(const batcher_params& params) {
    if (params.batch_size < min_batch_size || params.batch_size > max_batch_size)
        throw std::invalid_argument("--batch-size must be from " + std::to_string(min_batch_size) + " to " +
                                    std::to_string(max_batch_size) + ", not " + std::to_string(params.batch_size));
    if (params.max_wait < std::chrono::steady_clock::duration::zero())
        throw std::invalid_argument("the batch's longest wait cannot be negative");
    if (params.held_batches < 1) throw std::invalid_argument("the batcher must hold at least one batch");
}

std::size_t batch_key_hash::operator()(batch_key_view k) const noexcept {
    std::hash<std::string_view> h;
    std::size_t seed = h(k.list_id);
    seed ^= h(k.campaign_id) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed ^ static_cast<std::size_t>(k.move);
}

}  // namespace prospect::policy
