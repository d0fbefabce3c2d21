// The pool's retry budget: spend on retry, refund on success.
#include "prospect/policy/retry_budget.hpp"

#include <algorithm>

namespace prospect::policy {

bool retry_budget::try_spend(int cost) noexcept {
    if (cost > available_) return false;
    available_ -= std::max(0, cost);
    return true;
}

void retry_budget::on_success(int last_cost) noexcept {
    const int back = last_cost > 0 ? last_cost : params_.success_reward;
    available_ = std::min(params_.capacity, available_ + back);
}

}  // namespace prospect::policy
