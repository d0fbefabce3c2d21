#include "prospect/net/response.hpp"

#include <doctest/doctest.h>

#include <string>

#include "prospect/text/utf8.hpp"

using namespace prospect::net;

namespace {
api_envelope parsed(std::string_view body, int status = 400, std::string_view reason = "Bad Request") {
    envelope_parser parser;
    api_envelope out;
    parser.parse(status, reason, body, out);
    return out;
}

std::string sanitized(std::string_view s, std::size_t limit = 300) {
    std::string out;
    append_sanitized(out, s, limit);
    return out;
}
}  // namespace

TEST_CASE("the documented envelopes") {
    auto ok = parsed(R"({"status":"success","data":null,"message":"Operation completed successfully"})", 201,
                     "Created");
    CHECK(ok.status == "success");
    CHECK(ok.message == "Operation completed successfully");

    auto bad = parsed(R"({"status":"error","data":null,"message":"Prospect already exists","statusCode":400})");
    CHECK(bad.status == "error");
    CHECK(bad.message == "Prospect already exists");
}

TEST_CASE("a message that is missing, null or not a string degrades gracefully") {
    CHECK(parsed(R"({"status":"error"})").message == "HTTP 400 Bad Request");
    CHECK(parsed(R"({"status":"error","message":null})", 401, "Unauthorized").message == "HTTP 401 Unauthorized");
    CHECK(parsed(R"({"message":["campaignId must be a UUID","prospectListId must be a UUID"]})").message ==
          "campaignId must be a UUID; prospectListId must be a UUID");
    CHECK(parsed(R"({"message":["x",3,{"a":1}]})").message == R"(x; 3; {"a":1})");
    // Found by fuzz_response: a blank item, or one with no room left, ended the message with "; ".
    CHECK(parsed(R"({"message":["x"," ",""]})").message == "x");
    CHECK(parsed(R"({"message":[" ","y"]})").message == "y");
    CHECK(parsed(R"({"message":[")" + std::string(296, 'a') + R"(","bcd"]})").message == std::string(296, 'a'));
    CHECK(parsed(R"({"message":42})").message == "42");
    CHECK(parsed(R"({"message":{"detail":"nope"}})").message == R"({"detail":"nope"})");
    CHECK(parsed(R"({"status":7,"message":"m"})").status == "");
    CHECK(parsed(R"("just a string")").message == "just a string");
    CHECK(parsed(R"([1,2])").message == "HTTP 400 Bad Request");
    CHECK(parsed("", 502, "").message == "HTTP 502");
}

TEST_CASE("a gateway's HTML page gives its title") {
    auto page = parsed("\r\n<html>\r\n<head><TITLE>502 Bad Gateway</TITLE></head>\r\n<body><center><h1>502 Bad "
                       "Gateway</h1></center><hr><center>nginx</center></body></html>",
                       502, "Bad Gateway");
    CHECK(page.status == "");
    CHECK(page.message == "502 Bad Gateway");
    CHECK(parsed("<html><body>no title</body></html>", 503, "Service Unavailable").message ==
          "HTTP 503 Service Unavailable");
    CHECK(parsed("<title>unterminated", 504, "Gateway Timeout").message == "HTTP 504 Gateway Timeout");
}

TEST_CASE("plain text and garbage become one short line of valid UTF-8") {
    CHECK(parsed("upstream connect error\r\nor disconnect/reset", 503).message ==
          "upstream connect error or disconnect/reset");
    static constexpr char raw[] = "{\"status\":\x01\xFF\xFE\0 \x1b[31mred";
    auto garbage = parsed(std::string_view(raw, sizeof raw - 1), 500, "Oops\r\nX");
    CHECK(prospect::text::is_valid_utf8(garbage.message));
    CHECK(garbage.message.find('\x1b') == std::string::npos);
    CHECK(garbage.message.find('\0') == std::string::npos);

    std::string huge(100000, 'a');
    auto long_text = parsed(huge, 500);
    CHECK(long_text.message.size() == max_message_bytes);
    CHECK(long_text.message.ends_with("..."));
    auto long_json = parsed(R"({"message":")" + huge + R"("})");
    CHECK(long_json.message.size() == max_message_bytes);
}

TEST_CASE("one parser serves many responses") {
    envelope_parser parser;
    api_envelope out;
    parser.parse(201, "Created", R"({"status":"success","message":"first"})", out);
    CHECK(out.message == "first");
    parser.parse(502, "Bad Gateway", "<html>", out);
    CHECK(out.status == "");
    CHECK(out.message == "HTTP 502 Bad Gateway");
    parser.parse(400, "Bad Request", R"({"status":"error","message":"third"})", out);
    CHECK(out.status == "error");
    CHECK(out.message == "third");
}

TEST_CASE("a repeated response gets the same result, and a changed status, reason or body is parsed afresh") {
    envelope_parser parser;
    api_envelope out;
    parser.parse(400, "Bad Request", R"({"status":"error"})", out);
    CHECK(out.message == "HTTP 400 Bad Request");
    api_envelope again;
    parser.parse(400, "Bad Request", R"({"status":"error"})", again);
    CHECK(again.status == "error");
    CHECK(again.message == "HTTP 400 Bad Request");
    parser.parse(503, "Bad Request", R"({"status":"error"})", out);
    CHECK(out.message == "HTTP 503 Bad Request");
    parser.parse(503, "Service Unavailable", R"({"status":"error"})", out);
    CHECK(out.message == "HTTP 503 Service Unavailable");
    parser.parse(503, "Service Unavailable", R"({"status":"busy"})", out);
    CHECK(out.status == "busy");
}

TEST_CASE("sanitizing: white space collapsed, control bytes gone, cut at a character boundary") {
    CHECK(sanitized("  a \t\r\n b  ") == "a b");
    CHECK(sanitized("a\x7f" "b") == "a b");
    CHECK(sanitized("bad\xC3(") == "bad\xEF\xBF\xBD(");
    CHECK(sanitized("abcdef", 6) == "abcdef");
    CHECK(sanitized("abcdefg", 6) == "abc...");
    CHECK(sanitized("ab\xC3\xB6\xC3\xB6z", 7) == "ab\xC3\xB6\xC3\xB6z");
    CHECK(sanitized("ab\xC3\xB6\xC3\xB6zz", 7) == "ab\xC3\xB6...");
    CHECK(sanitized("ab \xC3\xB6\xC3\xB6xyz", 8) == "ab \xC3\xB6...");
    CHECK(sanitized("abc  ", 3) == "abc");
    std::string out = "prefix:";
    append_sanitized(out, "x", 10);
    CHECK(out == "prefix:x");
}

TEST_CASE("C1 control characters become a space like C0 ones, other characters above U+009F stay") {
    CHECK(sanitized("a\xC2\x85" "b") == "a b");        // NEL
    CHECK(sanitized("a\xC2\x9B" "31m b") == "a 31m b");  // CSI
    CHECK(sanitized("\xC2\x80" "a\xC2\x9F") == "a");
    CHECK(sanitized("a\xC2\xA0" "b") == "a\xC2\xA0" "b");  // no-break space is not a control
    CHECK(sanitized("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
}

TEST_CASE("issue 11: bidirectional controls from the API become a space, other characters stay") {
    CHECK(sanitized("gro\xE2\x80\xAEtxt.exe") == "gro txt.exe");   // U+202E right-to-left override
    CHECK(sanitized("a\xE2\x81\xA6" "b\xE2\x81\xA9") == "a b");  // U+2066 .. U+2069 isolates
    CHECK(sanitized("a\xE2\x80\x8F" "b\xD8\x9C" "c") == "a b c");  // U+200F, U+061C marks
    CHECK(sanitized("\xE2\x80\x94") == "\xE2\x80\x94");            // an em dash is not a control
    CHECK(sanitized("\xE2\x80\xA9" "x") == "\xE2\x80\xA9" "x");      // U+2029 stays (a separator, not bidi)
}

TEST_CASE("a message from the API is capped, whatever its length") {
    auto long_message = parsed(R"({"status":"error","message":")" + std::string(5000, 'm') + R"("})");
    CHECK(long_message.message.size() <= max_message_bytes);
    CHECK(long_message.message.ends_with("..."));
    auto long_page = parsed("<html><title>" + std::string(5000, 't') + "</title></html>", 404, "Not Found");
    CHECK(long_page.message.size() <= max_message_bytes);
}

TEST_CASE("the API's envelope is told from any other body: a string status and a message") {
    CHECK(parsed(R"({"status":"error","data":null,"message":"Not found"})", 404).is_envelope);
    CHECK(parsed(R"({"status":"error","message":["a","b"]})", 404).is_envelope);
    CHECK(parsed(R"({"status":"error","message":null})", 404).is_envelope);
    CHECK_FALSE(parsed(R"({"statusCode":404,"message":"Cannot POST /x","error":"Not Found"})", 404).is_envelope);
    CHECK_FALSE(parsed(R"({"status":404,"message":"x"})", 404).is_envelope);
    CHECK_FALSE(parsed(R"({"status":"error"})", 404).is_envelope);
    CHECK_FALSE(parsed(R"("just a string")", 404).is_envelope);
    CHECK_FALSE(parsed("<html><title>404 Not Found</title></html>", 404).is_envelope);
    CHECK_FALSE(parsed("", 404).is_envelope);
    // A repeated body answers from the previous result, flag included.
    envelope_parser parser;
    api_envelope out;
    parser.parse(404, "Not Found", R"({"status":"error","message":"x"})", out);
    parser.parse(404, "Not Found", R"({"status":"error","message":"x"})", out);
    CHECK(out.is_envelope);
    parser.parse(404, "Not Found", "<html>", out);
    CHECK_FALSE(out.is_envelope);
}
