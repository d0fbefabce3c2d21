// The limiter of a process that paces alone: the pool's rate policy on the
// steady clock, its waits cut short by close().
#include "prospect/app/limiter.hpp"

#include "prospect/app/log.hpp"
#include "prospect/app/sleeper.hpp"
#include "prospect/policy/rate_controller.hpp"

#include <algorithm>

namespace prospect::app {

namespace {

class local_limiter final : public limiter {
public:
    local_limiter(boost::asio::any_io_executor executor, const local_limiter_params& params, const log& out)
        : rate_(to_policy(params), clock::now()), timed_(std::move(executor)), out_(out) {}

    boost::asio::awaitable<bool> acquire(clock::time_point give_up_at) override {
        // Ask again after each wait: a 429 or a pause may have moved the
        // time a token comes while this waiter slept.
        for (;;) {
            if (closed_) co_return false;
            const auto now = clock::now();
            const auto wait = rate_.try_acquire(now);
            if (wait <= clock::duration::zero()) co_return true;
            if (now >= give_up_at) co_return false;
            if (!co_await timed_.sleep_for(std::min(wait, give_up_at - now))) co_return false;
        }
    }

    void on_answer(clock::time_point now, int status, std::optional<clock::duration> retry_after,
                   clock::time_point sent_at) override {
        auto note = rate_.on_answer(now, status, retry_after, sent_at);
        if (note.rate_lowered)
            out_.verbose("the API is over its limit: pacing at {:.2f}/s (limit estimated at {:.2f}/s)", note.rate,
                         note.estimated_limit);
        if (note.rate_raised) out_.verbose("no limit found at {:.2f}/s: pacing higher", note.rate);
        if (note.pause > clock::duration::zero())
            out_.info("the API answers nothing but 429: pausing {} ms{}",
                      std::chrono::duration_cast<std::chrono::milliseconds>(note.pause).count(),
                      note.pause_capped ? " (less than its Retry-After)" : "");
    }

    void close() override {
        closed_ = true;
        timed_.wake_all();
    }

    double rate() const override { return rate_.rate(); }
    clock::time_point paused_until() const override { return rate_.paused_until(); }

private:
    static policy::rate_controller_params to_policy(const local_limiter_params& params) {
        policy::rate_controller_params p;
        p.max_rate = params.rate;
        p.burst = params.burst;
        p.max_pause = std::min(p.max_pause, params.max_pause);
        return p;
    }

    policy::rate_controller rate_;
    sleeper timed_;
    const log& out_;
    bool closed_ = false;
};

}  // namespace

std::unique_ptr<limiter> make_local_limiter(boost::asio::any_io_executor executor, const local_limiter_params& params,
                                            const log& out) {
    return std::make_unique<local_limiter>(std::move(executor), params, out);
}

}  // namespace prospect::app
