#include "prospect/sandbox/http_response.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;

TEST_CASE("the envelope carries status, null data, the message and the code") {
    std::string out;
    write_envelope(out, 201, "Operation completed successfully");
    CHECK(out ==
          "{\"status\":\"success\",\"data\":null,\"message\":\"Operation completed successfully\",\"statusCode\":201}");
    write_envelope(out, 400, "say \"why\"");
    CHECK(out == "{\"status\":\"error\",\"data\":null,\"message\":\"say \\\"why\\\"\",\"statusCode\":400}");
}

TEST_CASE("a response has its length, type and the extras asked for") {
    std::string out;
    write_response(out, 429, "{}", {.close = true, .retry_after_s = 3, .allow = {}});
    CHECK(out ==
          "HTTP/1.1 429 Too Many Requests\r\nServer: prospect-sandbox\r\nContent-Type: application/json\r\n"
          "Content-Length: 2\r\nRetry-After: 3\r\nConnection: close\r\n\r\n{}");
    write_response(out, 405, "", {.close = false, .retry_after_s = 0, .allow = "POST"});
    CHECK(out ==
          "HTTP/1.1 405 Method Not Allowed\r\nServer: prospect-sandbox\r\nContent-Type: application/json\r\n"
          "Content-Length: 0\r\nAllow: POST\r\n\r\n");
}
