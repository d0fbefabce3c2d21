// The pipeline's pacing seam: a token before every request, and every answer
// fed back. The local limiter runs the pure rate controller on this process's
// clock; a shared one takes its tokens from Redis.
#pragma once

#include "prospect/app/run_clock.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace prospect::app {

class log;

class limiter {
public:
    using clock = run_clock;
    virtual ~limiter() = default;

    // Waits until one request may go; false once close() was called (a
    // stop), or when no token comes before `give_up_at` (nothing is taken).
    virtual boost::asio::awaitable<bool> acquire(clock::time_point give_up_at) = 0;
    // The answer to a request that was sent at `sent_at`: its HTTP status, or
    // 0 when none came (a transport failure), and its Retry-After.
    virtual void on_answer(clock::time_point now, int status, std::optional<clock::duration> retry_after,
                           clock::time_point sent_at) = 0;
    // Wakes every waiter at once; acquire() answers false from now on.
    virtual void close() = 0;

    // Requests per second in force (infinity while unlimited), for progress.
    virtual double rate() const = 0;
    // The pool sends nothing before this (no pause: a time in the past).
    virtual clock::time_point paused_until() const = 0;
};

struct local_limiter_params {
    /// --rate and --burst.
    double rate = 5;
    double burst = 4;
    /// --max-throttle-wait: no pool pause outlasts what a row may wait.
    std::chrono::steady_clock::duration max_pause = std::chrono::seconds(120);
};

// Paces this process alone; says on `out` what a 429 changed.
std::unique_ptr<limiter> make_local_limiter(boost::asio::any_io_executor executor, const local_limiter_params& params,
                                            const log& out);

struct shared_limiter_params {
    /// --shared-limit: the Redis URL.
    std::string url;
    /// --limit-name; empty: derived from the base URL and the API key (never the key itself).
    std::string name;
    std::string_view base_url;
    std::string_view api_key;
    /// --rate and --burst: the shared limit is the smallest among the importers on it.
    double rate = 5;
    double burst = 4;
};

// Joins a limit kept in Redis, running `io` until connected. Throws
// usage_error (exit 2, nothing sent) when Redis cannot be reached.
std::unique_ptr<limiter> connect_shared_limiter(boost::asio::io_context& io, const shared_limiter_params& params,
                                                const log& out);

}  // namespace prospect::app
