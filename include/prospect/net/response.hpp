// The API's response envelope {"status","data","message","statusCode"} read
// without trusting it: the body may be any JSON, or not JSON at all (an HTML
// page from a gateway). What comes out is safe to put in a report cell.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace prospect::net {

// Longest message kept from a response, in bytes (cut at a UTF-8 boundary).
inline constexpr std::size_t max_message_bytes = 300;

struct api_envelope {
    std::string status;   // "success", "error", or empty when absent or not a string
    std::string message;  // one line of valid UTF-8, never empty after parse()
    // The body was the API's envelope: a JSON object with a string "status"
    // and a "message". A gateway's or a framework's own page is not.
    bool is_envelope = false;
};

class envelope_parser {
public:
    envelope_parser();
    ~envelope_parser();
    envelope_parser(const envelope_parser&) = delete;
    envelope_parser& operator=(const envelope_parser&) = delete;

    // Fills `out` from a response body. The message is the envelope's
    // message (a string, or an array of strings joined with "; "); failing
    // that, a short excerpt of a non-JSON body (an HTML page's <title>);
    // failing that, "HTTP <status> <reason>". The same input as the previous
    // call is not parsed again.
    void parse(int http_status, std::string_view reason, std::string_view body, api_envelope& out);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Appends `s` as one line of valid UTF-8: control characters (C0, DEL, C1)
// and runs of white space become one space, invalid UTF-8 becomes U+FFFD, and the result is cut
// (with "...") so that `out` grows by at most `limit` bytes.
void append_sanitized(std::string& out, std::string_view s, std::size_t limit);

}  // namespace prospect::net
