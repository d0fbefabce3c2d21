// The limiter of importers that share one limit through Redis: tokens come
// from the shared bucket, and a 429 seen here counts towards slowing every
// importer on it. Retry-After stays the throttled row's own floor (row_fsm).
#include "prospect/app/limiter.hpp"

#include "prospect/app/exit_status.hpp"
#include "prospect/app/log.hpp"
#include "prospect/shared_limit/error.hpp"
#include "prospect/shared_limit/limit_name.hpp"
#include "prospect/shared_limit/shared_limiter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <limits>

namespace prospect::app {

namespace {

class redis_limiter final : public limiter {
public:
    explicit redis_limiter(std::unique_ptr<shared_limit::shared_limiter> shared) : shared_(std::move(shared)) {}

    // The shared bucket has no deadline: a row waits for its token, and the
    // pool's throttle bound is checked again when it comes.
    boost::asio::awaitable<bool> acquire(clock::time_point) override { return shared_->acquire(); }
    void on_answer(clock::time_point, int status, std::optional<clock::duration>, clock::time_point) override {
        if (status == 429) shared_->on_throttled();
    }
    void close() override { shared_->close(); }
    double rate() const override { return shared_->rate(); }
    clock::time_point paused_until() const override { return {}; }

private:
    std::unique_ptr<shared_limit::shared_limiter> shared_;
};

}  // namespace

std::unique_ptr<limiter> connect_shared_limiter(boost::asio::io_context& io, const shared_limiter_params& params,
                                                const log& out) {
    shared_limit::shared_limiter_params p;
    p.url = params.url;
    p.name = params.name.empty() ? shared_limit::default_limit_name(params.base_url, params.api_key) : params.name;
    p.rate = params.rate;
    p.burst = params.burst;
    p.say = [&out](const std::string& line) { out.info("{}", line); };
    std::unique_ptr<shared_limit::shared_limiter> joined;
    std::exception_ptr failed;
    bool done = false;
    boost::asio::co_spawn(io, shared_limit::shared_limiter::connect(io.get_executor(), std::move(p)),
                          [&](std::exception_ptr e, std::unique_ptr<shared_limit::shared_limiter> l) {
                              failed = e;
                              joined = std::move(l);
                              done = true;
                          });
    // run_one, not run: the joined limiter's heartbeats keep the loop busy.
    while (!done && io.run_one() > 0) {}
    try {
        if (failed) std::rethrow_exception(failed);
    } catch (const shared_limit::shared_limit_error& e) {
        throw usage_error(e.what());
    }
    if (!joined) throw usage_error("--shared-limit " + params.url + ": could not join the shared limit");
    return std::make_unique<redis_limiter>(std::move(joined));
}

}  // namespace prospect::app
