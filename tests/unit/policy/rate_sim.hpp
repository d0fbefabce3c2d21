// A discrete-event model of the import pool against model servers, in
// simulated time: N connections, each sending one request at a time when the
// pacer gives it a token, the server deciding when the request arrives (half
// the latency), the answer back after the whole latency. The pool always has
// a row to send (a long import); a throttled row waits its Retry-After apart
// from the pool, so it changes nothing here.
#pragma once

#include "adaptive_rate.hpp"
#include "prospect/policy/rate_controller.hpp"
#include "prospect/policy/token_bucket.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <utility>
#include <vector>

namespace rate_sim {

using clock = std::chrono::steady_clock;
using duration = clock::duration;
using time_point = clock::time_point;
using namespace std::chrono_literals;

inline const time_point start{std::chrono::hours(1000)};

struct verdict {
    int status = 200;
    std::optional<duration> retry_after;
};

inline verdict throttled() { return {429, duration(1s)}; }

// A token bucket, as nginx's limit_req or the sandbox's per-key limit; a 429
// takes no token. The rate may change at given times.
class bucket_server {
public:
    explicit bucket_server(double rate, double burst = 20) : bucket_(rate, burst, start), initial_(rate) {}
    // From `after` the server allows `rate` a second.
    bucket_server& then(duration after, double rate) {
        changes_.push_back({start + after, rate});
        return *this;
    }
    verdict answer(time_point at) {
        while (next_ < changes_.size() && changes_[next_].first <= at) bucket_.set_rate(changes_[next_++].second, at);
        return bucket_.try_take(at) == duration::zero() ? verdict{} : throttled();
    }
    double limit_at(time_point at) const {
        double rate = initial_;
        for (const auto& [when, r] : changes_)
            if (when <= at) rate = r;
        return rate;
    }

private:
    prospect::policy::token_bucket bucket_;
    double initial_;
    std::vector<std::pair<time_point, double>> changes_;
    std::size_t next_ = 0;
};

// No limit at all, but a share of requests answered 429 at random.
class random_throttle_server {
public:
    explicit random_throttle_server(double share, std::uint32_t seed = 7) : share_(share), rng_(seed) {}
    verdict answer(time_point) { return std::uniform_real_distribution<>(0, 1)(rng_) < share_ ? throttled() : verdict{}; }

private:
    double share_;
    std::mt19937 rng_;
};

// The controller under test and the one it replaces, behind one shape.
class new_pacer {
public:
    explicit new_pacer(const prospect::policy::rate_controller_params& p) : c_(p, start) {}
    duration try_acquire(time_point now) { return c_.try_acquire(now); }
    void on_answer(time_point now, const verdict& v, time_point sent_at) {
        c_.on_answer(now, v.status, v.retry_after, sent_at);
    }
    double rate() const { return c_.rate(); }
    const prospect::policy::rate_controller& controller() const { return c_; }

private:
    prospect::policy::rate_controller c_;
};

class old_pacer {
public:
    old_pacer(double max_rate, double burst) : a_(params(max_rate, burst), start) {}
    duration try_acquire(time_point now) { return a_.try_acquire(now); }
    // As src/app/pipeline.cpp's adapt_rate feeds it.
    void on_answer(time_point now, const verdict& v, time_point) {
        if (v.status == 429)
            a_.on_throttled(now, v.retry_after);
        else if (v.retry_after)
            a_.pause_for(now, *v.retry_after);
        else
            a_.on_success(now);
    }
    double rate() const { return a_.rate(); }

private:
    static prospect::policy::adaptive_rate_params params(double max_rate, double burst) {
        prospect::policy::adaptive_rate_params p;
        p.max_rate = max_rate;
        p.burst = burst;
        return p;
    }
    prospect::policy::adaptive_rate a_;
};

struct pool_params {
    int connections = 8;
    // 8 connections at 5-25 ms carry about 530 requests/s: more than any
    // limit or --rate the cases need, so the pacer, not the pool, sets the pace.
    duration min_latency = 5ms;
    duration max_latency = 25ms;
    duration length = 180s;
    std::uint32_t seed = 1;
};

struct second {
    int sent = 0;
    int ok = 0;
    int throttled = 0;
    double pace = 0;  // the pacer's rate at the end of the second
};

struct run_result {
    std::vector<second> seconds;
    std::vector<time_point> sends;

    // Successful answers a second over [from, to) seconds of the run.
    double ok_rate(int from, int to) const {
        to = std::min<int>(to, static_cast<int>(seconds.size()));
        long ok = 0;
        for (int s = from; s < to; ++s) ok += seconds[s].ok;
        return to > from ? static_cast<double>(ok) / (to - from) : 0;
    }
    double ok_rate() const { return ok_rate(0, static_cast<int>(seconds.size())); }
    long total(int second::*field) const {
        long n = 0;
        for (const auto& s : seconds) n += s.*field;
        return n;
    }
    double throttled_share() const {
        const long answered = total(&second::ok) + total(&second::throttled);
        return answered ? static_cast<double>(total(&second::throttled)) / answered : 0;
    }
    // The most requests sent in any one-second window (sliding).
    long max_sent_in_a_second() const {
        long best = 0;
        std::size_t lo = 0;
        for (std::size_t hi = 0; hi < sends.size(); ++hi) {
            while (sends[hi] - sends[lo] >= 1s) ++lo;
            best = std::max<long>(best, static_cast<long>(hi - lo + 1));
        }
        return best;
    }
    double max_pace() const {
        double m = 0;
        for (const auto& s : seconds) m = std::max(m, s.pace);
        return m;
    }
};

template <class Pacer, class Server>
run_result run(Pacer& pacer, Server& server, const pool_params& p = {}) {
    enum class stage { ask, arrive, answer };
    struct connection {
        stage at_stage = stage::ask;
        time_point at = start;
        time_point sent_at{};
        duration latency{};
        verdict v;
    };
    std::mt19937 rng(p.seed);
    std::uniform_int_distribution<duration::rep> latency(p.min_latency.count(), p.max_latency.count());
    std::vector<connection> pool(p.connections);
    run_result r;
    r.seconds.resize(std::chrono::duration_cast<std::chrono::seconds>(p.length).count());
    const time_point end = start + p.length;
    auto second_of = [&](time_point t) -> second& {
        return r.seconds[std::chrono::duration_cast<std::chrono::seconds>(t - start).count()];
    };
    for (;;) {
        auto c = std::min_element(pool.begin(), pool.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
        if (c->at >= end) break;
        switch (c->at_stage) {
        case stage::ask:
            if (auto wait = pacer.try_acquire(c->at); wait > duration::zero()) {
                c->at += wait;
                break;
            }
            c->sent_at = c->at;
            c->latency = duration(latency(rng));
            c->at += c->latency / 2;
            c->at_stage = stage::arrive;
            ++second_of(c->sent_at).sent;
            r.sends.push_back(c->sent_at);
            break;
        case stage::arrive:
            c->v = server.answer(c->at);
            c->at = c->sent_at + c->latency;
            c->at_stage = stage::answer;
            break;
        case stage::answer:
            pacer.on_answer(c->at, c->v, c->sent_at);
            second& s = second_of(c->at);
            ++(c->v.status == 429 ? s.throttled : s.ok);
            s.pace = pacer.rate();
            c->at_stage = stage::ask;
            break;
        }
    }
    return r;
}

}  // namespace rate_sim
