// Retry-After in a response is parsed here, once, so that the row machine
// and the pool pause see the same value.
#include "prospect/app/attempt.hpp"

#include "prospect/policy/retry_after.hpp"

namespace prospect::app {

policy::attempt_result to_attempt(const net::post_result& r, std::chrono::system_clock::time_point now) {
    if (r.outcome != policy::attempt_kind::response) return policy::attempt_result::transport(r.outcome);
    std::optional<std::chrono::steady_clock::duration> retry_after;
    if (!r.retry_after.empty())
        if (auto s = policy::parse_retry_after(r.retry_after, now)) retry_after = *s;
    return policy::attempt_result::http(r.status, retry_after);
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
