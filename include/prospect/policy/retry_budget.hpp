// A retry budget shared by the whole pool (the AWS SDK "standard" retry
// quota): retries spend tokens, successes earn some back, so that during an
// outage rows fail after their first attempt instead of each spending
// --max-retries backoffs, and a cron run ends in minutes, not hours.
#pragma once

namespace prospect::policy {

// The AWS numbers: 500 tokens buy 100 ordinary retries (50 after timeouts)
// with no success in between; each first-try success earns one back, and a
// retry that succeeds returns what it cost. So a healthy run with an
// occasional error never notices the budget, while a dead server costs at
// most about 100 retries before every row fails at its first attempt. 429s
// are not charged: throttling is the adaptive rate's and --max-throttle-wait's
// business, and charging it would fail rows of a run that is merely slowed.
struct retry_budget_params {
    /// Tokens the pool starts with and can hold at most.
    int capacity = 500;
    /// Cost of retrying after a 5xx, a 408 or a lost or refused connection.
    int retry_cost = 5;
    /// Cost of retrying after a timeout, which has already held a connection for --timeout.
    int timeout_cost = 10;
    /// Earned by a success at the first attempt.
    int success_reward = 1;
};

// One per pool; the row machines hold a pointer to it. Not thread-safe: the
// pool runs on one thread.
class retry_budget {
public:
    explicit retry_budget(const retry_budget_params& params = {}) noexcept
        : params_(params), available_(params.capacity) {}

    // Takes `cost`; false, with nothing taken, when the budget cannot pay it.
    bool try_spend(int cost) noexcept;

    // A request succeeded. `last_cost` is what the retry that sent it cost
    // (0 for a first attempt): that is returned, or the reward earned.
    void on_success(int last_cost) noexcept;

    int available() const noexcept { return available_; }
    const retry_budget_params& params() const noexcept { return params_; }

private:
    retry_budget_params params_;
    int available_;
};

}  // namespace prospect::policy
