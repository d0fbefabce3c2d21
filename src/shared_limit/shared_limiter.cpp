// The limiter's moving parts: acquire() hands out tokens from a local queue
// of due times, refilled by one coroutine at a time from the script (or,
// while Redis is away, from a local token bucket at the fallback share); a
// keeper coroutine reports 429s, keeps this importer's presence fresh when
// it is not taking, and reconnects with backoff after a loss. Everything
// runs on one io_context, so the state needs no lock.
#include "prospect/shared_limit/shared_limiter.hpp"

#include <openssl/rand.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <optional>
#include <utility>

#include "prospect/policy/token_bucket.hpp"
#include "prospect/shared_limit/fallback_share.hpp"
#include "prospect/shared_limit/limit_name.hpp"
#include "prospect/shared_limit/limit_script.hpp"
#include "prospect/shared_limit/redis_client.hpp"
#include "prospect/shared_limit/redis_url.hpp"
#include "wake_set.hpp"

namespace prospect::shared_limit {
namespace {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

constexpr auto first_backoff = std::chrono::milliseconds(100);
constexpr auto max_backoff = std::chrono::seconds(2);
// While Redis is lost, 429s within this long of a cut of the local share are
// the same episode.
constexpr auto throttle_holdoff = std::chrono::seconds(1);

std::string random_id() {
    unsigned char bytes[8];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw shared_limit_error("cannot draw a random importer id (OpenSSL RAND_bytes failed)");
    static constexpr char hex[] = "0123456789abcdef";
    std::string id;
    for (auto b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

std::string per_second(double rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g/s", rate);
    return buf;
}

}  // namespace

struct shared_limiter::state : std::enable_shared_from_this<state> {
    state(asio::any_io_executor ex, shared_limiter_params p, redis_endpoint ep)
        : executor(ex), params(std::move(p)), endpoint(std::move(ep)), client(ex), wakes(ex), keeper_wakes(ex) {
        call.key = limit_key(params.name);
        call.importer = random_id();
        call.rate = params.rate;
        call.burst = params.burst;
        call.lease = params.lease;
        call.presence = params.presence;
        call.regrow = params.regrow;
        call.decrease_factor = params.decrease_factor;
        call.min_throttled = params.min_throttled;
        call.throttled_share = params.throttled_share;
        shared_rate = params.rate;
        shared_burst = params.burst;
    }

    asio::any_io_executor executor;
    shared_limiter_params params;
    redis_endpoint endpoint;
    redis_client client;
    limit_call call;
    wake_set wakes;         // acquire()'s waiters: a due token, a refill, close()
    wake_set keeper_wakes;  // the keeper's sleeps: a 429, a loss, close()

    std::deque<clock::time_point> due;  // tokens held here, when each may be used
    bool refilling = false;
    bool closed = false;
    bool sharing_now = true;
    clock::time_point last_call{};
    clock::time_point last_report{};
    std::int64_t unreported = 0;  // 429s seen since the last call to Redis
    std::optional<clock::time_point> last_throttle;

    double shared_rate;
    double shared_burst;
    std::size_t live_importers = 1;
    std::optional<policy::token_bucket> local;  // set while Redis is lost
    std::uint64_t handed_out = 0;
    std::uint64_t overflowed = 0;

    // Tokens due by now beyond this importer's share of the burst are not
    // used: a bucket that waited for its sender (the connections not yet up
    // at start, a stall of the loop) holds no more than its burst, and the
    // server's bucket, which saved no more than one burst meanwhile, is
    // shared by every importer. Used late all at once, a whole lease of
    // them would meet it in one instant: 429s. Like a full bucket's refill,
    // they are lost; they were due, and the limit counted them.
    void overflow(clock::time_point now) {
        const auto share = fallback_share(shared_rate, shared_burst, live_importers);
        const auto cap = static_cast<std::ptrdiff_t>(std::floor(share.burst));
        const auto due_now = std::upper_bound(due.begin(), due.end(), now) - due.begin();
        if (due_now <= cap) return;
        due.erase(due.begin(), due.begin() + (due_now - cap));
        overflowed += static_cast<std::uint64_t>(due_now - cap);
    }

    void apply(const limit_state& s) {
        shared_rate = s.rate;
        shared_burst = s.burst;
        live_importers = std::max<std::size_t>(s.importers, 1);
    }

    void say(const std::string& text) const {
        if (params.say) params.say(text);
    }

    std::int64_t lease_tokens(double rate) const {
        const double lease_s = std::chrono::duration<double>(params.lease).count();
        return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(lease_s * rate)));
    }

    void lose(const std::string& why) {
        if (!sharing_now || closed) return;
        sharing_now = false;
        client.close();
        const auto share = fallback_share(std::min(params.rate, shared_rate), shared_burst, live_importers);
        const auto now = clock::now();
        local.emplace(share.rate, share.burst, now);
        // What this importer holds already is its burst. The others may still
        // hold grants due up to a lease an importer ahead (the script lets the
        // balance go that low): the local share begins after them.
        local->hold_until(now + params.lease * live_importers, 0);
        say("shared limit: lost Redis at " + params.url + " (" + why + "); going on alone at " + per_second(share.rate) +
            " (the shared " + per_second(std::min(params.rate, shared_rate)) + " over " + std::to_string(live_importers) +
            " importer" + (live_importers == 1 ? "" : "s") + ") until it is back");
        keeper_wakes.wake_all();
    }

    asio::awaitable<void> refill() {
        refilling = true;
        if (sharing_now) co_await refill_shared();
        if (!sharing_now && !closed) refill_local();
        refilling = false;
        wakes.wake_all();
    }

    asio::awaitable<void> refill_shared() {
        auto out = co_await take_tokens(client, call, lease_tokens(shared_rate), params.command_timeout,
                                        std::exchange(unreported, 0));
        last_call = clock::now();
        if (closed) co_return;
        if (!out.state) {
            lose(out.error);
            co_return;
        }
        apply(*out.state);
        if (out.state->granted > 0) {
            for (auto offset : grant_schedule(out.state->granted, out.state->balance_before, out.state->rate))
                due.push_back(last_call + offset);
        } else {
            co_await wakes.wait_until(last_call + out.state->wait);
        }
    }

    void refill_local() {
        const auto now = clock::now();
        for (auto n = lease_tokens(local->rate()); n > 0; --n) due.push_back(now + local->reserve(now));
    }

    asio::awaitable<void> keep() {
        auto self = shared_from_this();
        auto backoff = clock::duration(first_backoff);
        while (!closed) {
            if (sharing_now) {
                auto next = last_call + params.presence / 3;
                if (unreported > 0) next = std::min(next, last_report + params.report_spacing);
                if (clock::now() < next) {
                    co_await keeper_wakes.wait_until(next);
                    continue;
                }
                if (unreported > 0) {
                    co_await report();
                    continue;
                }
                auto out = co_await take_tokens(client, call, 0, params.command_timeout);
                last_call = clock::now();
                if (closed) break;
                if (out.state) apply(*out.state);
                else lose(out.error);
                continue;
            }
            co_await keeper_wakes.wait_until(clock::now() + backoff);
            if (closed) break;
            backoff = std::min<clock::duration>(backoff * 2, max_backoff);
            auto error = co_await client.connect(endpoint, params.connect_timeout);
            if (closed || !error.empty()) continue;
            auto out = co_await take_tokens(client, call, 0, params.command_timeout);
            if (closed) break;
            if (!out.state) {
                client.close();
                continue;
            }
            apply(*out.state);
            last_call = clock::now();
            local.reset();
            sharing_now = true;
            backoff = first_backoff;
            say("shared limit: Redis at " + params.url + " is back; sharing " + per_second(shared_rate) + " with " +
                std::to_string(live_importers) + " importer" + (live_importers == 1 ? "" : "s") + " again");
        }
    }

    // The 429s seen since the last call. The tokens held stay: they were
    // granted within the limit as it was, and a cut slows the next grants.
    asio::awaitable<void> report() {
        last_report = clock::now();
        auto out = co_await report_throttled(client, call, std::exchange(unreported, 0), params.command_timeout);
        last_call = clock::now();
        if (closed) co_return;
        if (out.state) apply(*out.state);
        else lose(out.error);
    }
};

shared_limiter::shared_limiter(std::shared_ptr<state> s) : state_(std::move(s)) {}

shared_limiter::~shared_limiter() { close(); }

asio::awaitable<std::unique_ptr<shared_limiter>> shared_limiter::connect(asio::any_io_executor executor,
                                                                         shared_limiter_params params) {
    auto endpoint = parse_redis_url(params.url);
    if (!(params.rate > 0) || !std::isfinite(params.rate))
        throw shared_limit_error("--shared-limit " + params.url + ": a shared limit needs a finite --rate above 0");
    if (params.burst < 1) params.burst = 1;
    auto s = std::make_shared<state>(executor, std::move(params), std::move(endpoint));
    const auto& url = s->params.url;
    auto error = co_await s->client.connect(s->endpoint, s->params.connect_timeout);
    if (!error.empty()) throw shared_limit_error("--shared-limit " + url + ": cannot reach Redis (" + error + ")");
    auto out = co_await take_tokens(s->client, s->call, 0, s->params.command_timeout);
    if (!out.state) throw shared_limit_error("--shared-limit " + url + ": cannot use Redis (" + out.error + ")");
    s->apply(*out.state);
    s->last_call = clock::now();
    asio::co_spawn(executor, s->keep(), asio::detached);
    co_return std::unique_ptr<shared_limiter>(new shared_limiter(std::move(s)));
}

asio::awaitable<bool> shared_limiter::acquire() {
    auto s = state_;
    for (;;) {
        if (s->closed) co_return false;
        s->overflow(clock::now());
        if (!s->due.empty()) {
            const auto at = s->due.front();
            s->due.pop_front();
            while (clock::now() < at) {
                co_await s->wakes.wait_until(at);
                if (s->closed) co_return false;
            }
            ++s->handed_out;
            co_return true;
        }
        if (s->refilling) co_await s->wakes.wait();
        else co_await s->refill();
    }
}

void shared_limiter::on_throttled() {
    auto& s = *state_;
    if (s.closed) return;
    if (s.sharing_now) {
        // One 429 is no verdict on the rate: the script weighs it with every
        // importer's. The keeper reports it (at once, or with the next take).
        ++s.unreported;
        s.keeper_wakes.wake_all();
        return;
    }
    s.due.clear();
    const auto now = clock::now();
    if (s.last_throttle && now - *s.last_throttle < throttle_holdoff) return;
    s.last_throttle = now;
    s.local->set_rate(s.local->rate() * s.params.decrease_factor, now);
}

void shared_limiter::close() {
    auto& s = *state_;
    if (s.closed) return;
    s.closed = true;
    s.client.close();
    s.wakes.wake_all();
    s.keeper_wakes.wake_all();
}

std::uint64_t shared_limiter::round_trips() const { return state_->client.round_trips(); }
std::uint64_t shared_limiter::tokens() const { return state_->handed_out; }
std::uint64_t shared_limiter::overflowed() const { return state_->overflowed; }
bool shared_limiter::sharing() const { return state_->sharing_now; }
double shared_limiter::rate() const { return state_->sharing_now ? state_->shared_rate : state_->local->rate(); }
std::size_t shared_limiter::importers() const { return state_->live_importers; }

}  // namespace prospect::shared_limit
