// Responses as bytes: the whole HTTP/1.1 response written into one reused
// buffer, so that answering a request allocates nothing once warm. The
// bodies are the API's JSON envelope or the sandbox's introspection JSON.
#pragma once

#include <string>
#include <string_view>

namespace prospect::sandbox {

struct response_extras {
    bool close = false;        // Connection: close
    int retry_after_s = 0;     // Retry-After, when > 0
    std::string_view allow{};  // Allow, when not empty (405)
};

std::string_view reason_phrase(int status) noexcept;

// Replaces `out` with a complete response: status line, Content-Type:
// application/json, Content-Length, the extras, and `body`.
void write_response(std::string& out, int status, std::string_view body, const response_extras& extras = {});

// Replaces `out` with {"status":"success"|"error","data":null,"message":..,"statusCode":N}.
void write_envelope(std::string& out, int status, std::string_view message);

}  // namespace prospect::sandbox
