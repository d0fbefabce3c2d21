// What one attempt's result means for its row: the pure table from HTTP
// status or transport failure to success, retry, throttle, reject or fatal
// (docs/contract.md, "Talking to the API").
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace prospect::policy {

enum class attempt_kind : unsigned char {
    /// An HTTP response arrived; `status` says which.
    response,
    /// TCP connect failed (refused, unreachable, DNS).
    connect_failed,
    /// --timeout passed before the response was complete.
    timed_out,
    /// The connection closed or reset before a complete response.
    connection_lost,
    /// The TLS handshake failed for a reason other than the certificate.
    tls_failed,
    /// The server's certificate or host name failed verification.
    tls_verify_failed,
};

struct attempt_result {
    attempt_kind kind = attempt_kind::response;
    /// The HTTP status when kind is response, else 0.
    int status = 0;
    /// The response's Retry-After, already parsed, if it had a usable one.
    std::optional<std::chrono::steady_clock::duration> retry_after;

    static attempt_result http(int status, std::optional<std::chrono::steady_clock::duration> retry_after = {}) {
        return {attempt_kind::response, status, retry_after};
    }
    static attempt_result transport(attempt_kind kind) { return {kind, 0, std::nullopt}; }
};

enum class verdict : unsigned char {
    /// 2xx: the row is added.
    success,
    /// Transient: back off and send again (counts against --max-retries).
    retry,
    /// 429: back off, slow the pool, send again (does not count against --max-retries).
    throttle,
    /// The API refused this row (non-retryable 4xx): final.
    reject,
    /// The run must stop: 401/403 (the key) or a certificate that fails verification.
    fatal,
    /// Neither the row's fault nor worth repeating (unexpected 1xx/3xx, 501,
    /// 505): the row fails now, and a later run may send it again.
    give_up,
};

// 2xx success; 408, 429 and every 5xx but 501 and 505 retry (429 as
// throttle); 401 and 403 fatal; other 4xx reject; anything else give_up.
//
// docs/contract.md names 500, 502, 503 and 504 as retried and leaves the other 5xx
// open. They are retried too: they are the server's or a gateway's trouble,
// not the row's (507 Insufficient Storage, the 52x of CDN fronts), a row that
// runs out of retries still ends `failed` rather than `rejected`, and the
// retry budget bounds what a persistent one costs. 501 and 505 are the
// exceptions: they describe the request's method or protocol, which no
// number of repeats will change.
verdict classify_status(int status) noexcept;

// Transport failures retry, except a certificate that fails verification,
// which is fatal: no retry and no fallback to an unverified connection.
verdict classify(const attempt_result& result) noexcept;

// "connection lost", "timed out", ...; "HTTP response" for a response.
std::string_view to_string(attempt_kind kind) noexcept;
std::string_view to_string(verdict v) noexcept;

}  // namespace prospect::policy
