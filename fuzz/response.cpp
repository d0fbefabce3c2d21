// Any bytes as a response body, with any status and reason (taken from the
// input's last bytes, so that seeds stay plain bodies). Beyond not crashing:
// the status and message are one line of valid UTF-8 within their bound,
// and the message is never empty.
#include "check.hpp"
#include "prospect/net/response.hpp"
#include "prospect/text/utf8.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <array>

using namespace prospect;
using fuzz::require;

namespace {

bool is_one_clean_line(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return false;
    return text::is_valid_utf8(s) && !s.starts_with(' ') && !s.ends_with(' ');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    static constexpr std::array<std::string_view, 5> reasons{"", "Bad Gateway", "Too Many Requests",
                                                             " \tweird\r\nreason\xff ", "OK"};
    const int status = input.ConsumeIntegralInRange<int>(0, 999);
    const auto reason = reasons[input.ConsumeIntegralInRange<std::size_t>(0, reasons.size() - 1)];
    const std::string body = input.ConsumeRemainingBytesAsString();

    static net::envelope_parser parser;
    static net::api_envelope envelope;
    parser.parse(status, reason, body, envelope);
    require(!envelope.message.empty(), "the message is never empty");
    require(envelope.message.size() <= net::max_message_bytes + 16, "the message is bounded");
    require(envelope.status.size() <= net::max_message_bytes, "the status is bounded");
    require(is_one_clean_line(envelope.message), "the message is one line of valid UTF-8");
    require(is_one_clean_line(envelope.status), "the status is one line of valid UTF-8");

    // The sanitizer on its own, with a limit from the body's length.
    static std::string line;
    line.assign("x");
    const std::size_t limit = body.size() % 40;
    net::append_sanitized(line, body, limit);
    require(line.size() - 1 <= limit, "append_sanitized stays within its limit");
    require(is_one_clean_line(line), "append_sanitized leaves one line of valid UTF-8");
    return 0;
}
