// The fixed header set keeps every response the same shape: clients and
// benchmarks see one code path whatever the status.
#include "prospect/sandbox/http_response.hpp"

#include "prospect/text/json_escape.hpp"

#include <charconv>

namespace prospect::sandbox {
namespace {

void append_number(std::string& out, long long n) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, end);
}

}  // namespace

std::string_view reason_phrase(int status) noexcept {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

void write_response(std::string& out, int status, std::string_view body, const response_extras& extras) {
    out.clear();
    out += "HTTP/1.1 ";
    append_number(out, status);
    out += ' ';
    out += reason_phrase(status);
    out += "\r\nServer: prospect-sandbox\r\nContent-Type: application/json\r\nContent-Length: ";
    append_number(out, static_cast<long long>(body.size()));
    if (extras.retry_after_s > 0) {
        out += "\r\nRetry-After: ";
        append_number(out, extras.retry_after_s);
    }
    if (!extras.allow.empty()) {
        out += "\r\nAllow: ";
        out += extras.allow;
    }
    if (extras.close) out += "\r\nConnection: close";
    out += "\r\n\r\n";
    out += body;
}

void write_envelope(std::string& out, int status, std::string_view message) {
    out.clear();
    out += status < 400 ? "{\"status\":\"success\",\"data\":null,\"message\":"
                        : "{\"status\":\"error\",\"data\":null,\"message\":";
    text::append_json_string(out, message);
    out += ",\"statusCode\":";
    append_number(out, status);
    out += '}';
}

}  // namespace prospect::sandbox
