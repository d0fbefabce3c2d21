// Calling the script: arguments as the script reads them (numbers printed
// with 17 significant digits so nothing is rounded on the way), its reply of
// strings parsed back into limit_state.
#include "prospect/shared_limit/limit_script.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "prospect/shared_limit/redis_client.hpp"

namespace prospect::shared_limit {

extern const std::string_view limit_lua;

namespace {

namespace asio = boost::asio;

std::string number(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

bool parse(const redis_reply& r, double& out) {
    if (r.type == redis_reply::kind::integer) {
        out = static_cast<double>(r.integer);
        return true;
    }
    if (r.type != redis_reply::kind::string) return false;
    auto [end, ec] = std::from_chars(r.text.data(), r.text.data() + r.text.size(), out);
    return ec == std::errc{} && end == r.text.data() + r.text.size();
}

limit_outcome read_state(const redis_reply& reply) {
    if (reply.type == redis_reply::kind::error) return {std::nullopt, "Redis: " + reply.text};
    double v[9];
    if (reply.type != redis_reply::kind::array || reply.elements.size() != 9)
        return {std::nullopt, "the limit script answered something unexpected"};
    for (int i = 0; i < 9; ++i)
        if (!parse(reply.elements[i], v[i])) return {std::nullopt, "the limit script answered something unexpected"};
    limit_state s;
    s.granted = static_cast<std::int64_t>(v[0]);
    s.wait = std::chrono::microseconds(static_cast<std::int64_t>(v[1]));
    s.balance_before = v[2];
    s.rate = v[3];
    s.ceiling = v[4];
    s.burst = v[5];
    s.importers = static_cast<std::size_t>(v[6]);
    s.redis_now_us = static_cast<std::int64_t>(v[7]);
    s.cut = v[8] != 0;
    return {s, {}};
}

asio::awaitable<limit_outcome> run(redis_client& client, const limit_call& call, std::string_view op,
                                   std::int64_t n, std::int64_t throttled, std::chrono::steady_clock::duration timeout) {
    std::vector<std::string> args{"EVALSHA", limit_script_sha1(), "1", call.key, std::string(op), call.importer,
                                  number(call.rate), number(call.burst), std::to_string(n),
                                  std::to_string(call.lease.count()), std::to_string(call.presence.count()),
                                  std::to_string(call.regrow.count()), number(call.decrease_factor),
                                  std::to_string(throttled), std::to_string(call.min_throttled),
                                  number(call.throttled_share)};
    auto result = co_await client.command(args, timeout);
    if (result.reply && result.reply->type == redis_reply::kind::error && result.reply->text.starts_with("NOSCRIPT")) {
        args[0] = "EVAL";
        args[1] = std::string(limit_script_source());
        result = co_await client.command(std::move(args), timeout);
    }
    if (!result.reply) co_return limit_outcome{std::nullopt, result.error};
    co_return read_state(*result.reply);
}

}  // namespace

std::string_view limit_script_source() { return limit_lua; }

const std::string& limit_script_sha1() {
    static const std::string sha = [] {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_Digest(limit_lua.data(), limit_lua.size(), md, &len, EVP_sha1(), nullptr);
        static constexpr char hex[] = "0123456789abcdef";
        std::string out;
        for (unsigned i = 0; i < len; ++i) {
            out += hex[md[i] >> 4];
            out += hex[md[i] & 15];
        }
        return out;
    }();
    return sha;
}

asio::awaitable<limit_outcome> take_tokens(redis_client& client, const limit_call& call, std::int64_t want,
                                           std::chrono::steady_clock::duration timeout, std::int64_t throttled) {
    co_return co_await run(client, call, "take", want, throttled, timeout);
}

asio::awaitable<limit_outcome> report_throttled(redis_client& client, const limit_call& call, std::int64_t throttled,
                                                std::chrono::steady_clock::duration timeout) {
    co_return co_await run(client, call, "report", 0, throttled, timeout);
}

std::vector<std::chrono::microseconds> grant_schedule(std::int64_t granted, double balance_before, double rate) {
    std::vector<std::chrono::microseconds> due;
    due.reserve(static_cast<std::size_t>(std::max<std::int64_t>(granted, 0)));
    for (std::int64_t j = 1; j <= granted; ++j) {
        const double seconds = std::max(0.0, (static_cast<double>(j) - balance_before) / rate);
        due.emplace_back(std::llround(seconds * 1e6));
    }
    return due;
}

}  // namespace prospect::shared_limit
