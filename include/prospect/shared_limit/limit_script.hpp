// The shared limit's Lua script (src/shared_limit/limit.lua, embedded at
// build time) and the two calls made with it: take tokens, report 429s. The
// script runs by EVALSHA, falling back to EVAL when Redis does not know it
// (first use, or a Redis restarted since). Also the pure arithmetic of when
// a grant's tokens may be used.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace prospect::shared_limit {

class redis_client;

std::string_view limit_script_source();
// Hex SHA-1 of the source: the name EVALSHA knows it by.
const std::string& limit_script_sha1();

struct limit_call {
    std::string key;        // the limit's Redis key (limit_key)
    std::string importer;   // this importer's id, unique per process
    double rate = 5;        // this importer's --rate (> 0)
    double burst = 4;       // this importer's --burst
    std::chrono::milliseconds lease{200};      // the most of the rate one take gets, in time
    std::chrono::milliseconds presence{5000};  // how long this importer counts as live after a call
    std::chrono::milliseconds regrow{3000};    // a cut rate climbs back to the ceiling in this long
    double decrease_factor = 0.9;              // a cut sets the rate to this x the rate taken over the last second
    // 429s cut the rate only when, over the last second, there were at least
    // this many and at least this share of the tokens taken (all importers').
    int min_throttled = 3;
    double throttled_share = 0.03;
};

// The limit as the script left it.
struct limit_state {
    std::int64_t granted = 0;            // tokens granted by this call
    std::chrono::microseconds wait{};    // with nothing granted: until one can be
    double balance_before = 0;           // tokens in the bucket before the grant (negative: reserved ahead)
    double rate = 0;                     // effective shared rate (requests/s)
    double ceiling = 0;                  // smallest --rate among the live importers
    double burst = 1;                    // smallest --burst among them
    std::size_t importers = 1;           // live importers, this one included
    std::int64_t redis_now_us = 0;       // Redis's TIME when the script ran
    bool cut = false;                    // this call lowered the rate (429s reached a share)
};

// The state, or why there is none (the connection failed: then the client
// is closed; or Redis answered with an error).
struct limit_outcome {
    std::optional<limit_state> state;
    std::string error;
};

// Takes up to `want` tokens (0: only refreshes this importer's presence),
// reporting the 429s this importer saw since its last call.
boost::asio::awaitable<limit_outcome> take_tokens(redis_client& client, const limit_call& call, std::int64_t want,
                                                  std::chrono::steady_clock::duration timeout,
                                                  std::int64_t throttled = 0);
// Reports 429s now; should they reach the share that cuts the rate (and no
// cut in the last second), the rate is cut (state.cut).
boost::asio::awaitable<limit_outcome> report_throttled(redis_client& client, const limit_call& call,
                                                       std::int64_t throttled,
                                                       std::chrono::steady_clock::duration timeout);

// When each token of a grant may be used, as offsets from when the script
// ran: the first `balance_before` are there now, the rest come at `rate`.
std::vector<std::chrono::microseconds> grant_schedule(std::int64_t granted, double balance_before, double rate);

}  // namespace prospect::shared_limit
