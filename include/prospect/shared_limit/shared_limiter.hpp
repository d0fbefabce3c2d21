// The importer's side of a shared limit (--shared-limit): requests wait for
// tokens taken from Redis a lease at a time, 429s are signalled to every
// importer on the limit, and a Redis lost mid-run leaves the importer going
// on under a conservative local share until it is back. All on the caller's
// io_context; nothing here blocks it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "prospect/shared_limit/error.hpp"

namespace prospect::shared_limit {

struct shared_limiter_params {
    std::string url;   // --shared-limit: redis://HOST:PORT[/DB] or unix:///PATH
    std::string name;  // --limit-name, or default_limit_name(base URL, API key); stored under limit_key(name)
    double rate = 5;   // --rate (> 0, finite)
    double burst = 4;  // --burst
    // One take from Redis gets at most this much of the rate (at least one
    // token): 200 ms is 10 requests at 50/s, so a round trip serves 10.
    std::chrono::milliseconds lease{200};
    // Told once when Redis is lost and once when it is back (may be empty).
    std::function<void(const std::string&)> say;
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds command_timeout{1000};
    // How long this importer counts as live on the limit after its last call
    // (it calls at least every third of this while running).
    std::chrono::milliseconds presence{5000};
    // After a cut for a 429 the shared rate climbs back to the ceiling in this long.
    std::chrono::milliseconds regrow{3000};
    // A cut sets the shared rate to this x the rate taken over the last second.
    double decrease_factor = 0.9;
    // 429s cut the shared rate only when, over the last second, they were at
    // least this many and this share of the tokens all importers took.
    int min_throttled = 3;
    double throttled_share = 0.03;
    // 429s are reported to Redis at once, but no sooner than this after the
    // last report (the rest go with it, or with the next take).
    std::chrono::milliseconds report_spacing{200};
};

class shared_limiter {
public:
    // Connects and joins the limit. Throws shared_limit_error naming the URL
    // when the URL is malformed or Redis cannot be reached or used.
    static boost::asio::awaitable<std::unique_ptr<shared_limiter>> connect(boost::asio::any_io_executor executor,
                                                                           shared_limiter_params params);
    ~shared_limiter();  // close()s
    shared_limiter(const shared_limiter&) = delete;
    shared_limiter& operator=(const shared_limiter&) = delete;

    // Waits until one request may be sent; false once close() was called.
    // Any number of coroutines may wait at once; one refill is in flight at a time.
    boost::asio::awaitable<bool> acquire();
    // A 429 seen by this importer, reported to Redis: once 429s are a share
    // of what all importers took (min_throttled, throttled_share), the shared
    // rate is cut for every one of them (at most once a second).
    void on_throttled();
    // Wakes every waiter at once (they return false) and stops background work.
    void close();

    // Redis commands answered so far (script calls, heartbeats, 429 reports, reconnects' first call).
    std::uint64_t round_trips() const;
    // Tokens handed out by acquire() so far.
    std::uint64_t tokens() const;
    // Tokens granted but never used: due by a time when more than a burst
    // of them were (this importer could not send them on time).
    std::uint64_t overflowed() const;
    // False while going on under the local share (Redis lost).
    bool sharing() const;
    // Requests per second now in force for this importer: the shared rate, or the local share.
    double rate() const;
    // Live importers on the limit when last seen, this one included.
    std::size_t importers() const;

private:
    struct state;
    explicit shared_limiter(std::shared_ptr<state> s);
    std::shared_ptr<state> state_;  // background coroutines hold it too
};

}  // namespace prospect::shared_limit
