// The classification table; see the header for the reasoning on each row.
#include "prospect/policy/classify.hpp"

namespace prospect::policy {

verdict classify_status(int status) noexcept {
    if (status >= 200 && status <= 299) return verdict::success;
    if (status == 401 || status == 403) return verdict::fatal;
    if (status == 429) return verdict::throttle;
    if (status == 408) return verdict::retry;
    if (status >= 400 && status <= 499) return verdict::reject;
    if (status == 501 || status == 505) return verdict::give_up;
    if (status >= 500 && status <= 599) return verdict::retry;
    return verdict::give_up;
}

verdict classify(const attempt_result& result) noexcept {
    switch (result.kind) {
    case attempt_kind::response: return classify_status(result.status);
    case attempt_kind::connect_failed:
    case attempt_kind::timed_out:
    case attempt_kind::connection_lost:
    case attempt_kind::tls_failed: return verdict::retry;
    case attempt_kind::tls_verify_failed: return verdict::fatal;
    }
    return verdict::give_up;
}

std::string_view to_string(attempt_kind kind) noexcept {
    switch (kind) {
    case attempt_kind::response: return "HTTP response";
    case attempt_kind::connect_failed: return "connect failed";
    case attempt_kind::timed_out: return "timed out";
    case attempt_kind::connection_lost: return "connection lost";
    case attempt_kind::tls_failed: return "TLS handshake failed";
    case attempt_kind::tls_verify_failed: return "certificate verification failed";
    }
    return "?";
}

std::string_view to_string(verdict v) noexcept {
    switch (v) {
    case verdict::success: return "success";
    case verdict::retry: return "retry";
    case verdict::throttle: return "throttle";
    case verdict::reject: return "reject";
    case verdict::fatal: return "fatal";
    case verdict::give_up: return "give up";
    }
    return "?";
}

}  // namespace prospect::policy
