// Retry-After in a response is parsed here, once, so that the row machine
// and the pool pause see the same value.
#include "prospect/app/attempt.hpp"

#include "prospect/policy/retry_after.hpp"

namespace prospect::app {

using kind = net::post_result::kind;

policy::attempt_result to_attempt(const net::post_result& r, std::chrono::system_clock::time_point now) {
    switch (r.outcome) {
    case kind::response: {
        std::optional<std::chrono::steady_clock::duration> retry_after;
        if (!r.retry_after.empty())
            if (auto s = policy::parse_retry_after(r.retry_after, now)) retry_after = *s;
        return policy::attempt_result::http(r.status, retry_after);
    }
    case kind::connect_failed: return policy::attempt_result::transport(policy::attempt_kind::connect_failed);
    case kind::timed_out: return policy::attempt_result::transport(policy::attempt_kind::timed_out);
    case kind::connection_lost: return policy::attempt_result::transport(policy::attempt_kind::connection_lost);
    case kind::tls_verify_failed:
        return policy::attempt_result::transport(policy::attempt_kind::tls_verify_failed);
    case kind::handshake_failed: return policy::attempt_result::transport(policy::attempt_kind::tls_failed);
    }
    return policy::attempt_result::transport(policy::attempt_kind::connection_lost);
}

std::string final_message(const policy::row_fsm& fsm, const policy::row_action& done,
                          const std::string& last_message) {
    if (done.result == policy::outcome::added) return {};
    if (done.result == policy::outcome::rejected && !last_message.empty()) return last_message;
    auto why = fsm.describe();
    if (!last_message.empty()) why += ": " + last_message;
    return why;
}

std::string fatal_stop_message(const policy::row_fsm& fsm, const std::string& last_message) {
    auto why = "not sent: " + fsm.describe();
    if (!last_message.empty()) why += " (" + last_message + ")";
    return why;
}

}  // namespace prospect::app
