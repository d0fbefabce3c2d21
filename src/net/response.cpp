// Envelope reading with simdjson's DOM parser, kept across responses so that
// its buffers are reused. Every path ends in a non-empty one-line message,
// because the report must say something useful whatever a gateway sent.
// A response identical to the previous one (an import gets the same 201
// envelope for nearly every row) is answered from the previous result.
#include "prospect/net/response.hpp"

#include <simdjson.h>

#include <charconv>

#include "prospect/text/ascii.hpp"
#include "prospect/text/utf8.hpp"

namespace prospect::net {
namespace {

bool is_space_or_control(unsigned char c) { return c <= 0x20 || c == 0x7f; }

// Unicode's bidirectional controls (U+061C, U+200E-200F, U+202A-202E,
// U+2066-2069): a server's message must not reorder what a spreadsheet or a
// terminal shows around it.
bool is_bidi_control(std::string_view seq) noexcept {
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(seq[i]); };
    if (seq.size() == 2) return b(0) == 0xd8 && b(1) == 0x9c;
    if (seq.size() != 3 || b(0) != 0xe2) return false;
    if (b(1) == 0x80) return b(2) == 0x8e || b(2) == 0x8f || (b(2) >= 0xaa && b(2) <= 0xae);
    return b(1) == 0x81 && b(2) >= 0xa6 && b(2) <= 0xa9;
}

std::size_t find_nocase(std::string_view hay, std::string_view needle, std::size_t from = 0) {
    for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
        if (text::istarts_with(hay.substr(i), needle)) return i;
    return std::string_view::npos;
}

// The <title> of an HTML error page, or empty.
std::string_view html_title(std::string_view body) {
    std::size_t open = find_nocase(body, "<title");
    if (open == std::string_view::npos) return {};
    std::size_t start = body.find('>', open);
    if (start == std::string_view::npos) return {};
    std::size_t end = find_nocase(body, "</title", start + 1);
    if (end == std::string_view::npos) return {};
    return body.substr(start + 1, end - start - 1);
}

void append_status_line(std::string& out, int http_status, std::string_view reason) {
    char digits[12];
    auto end = std::to_chars(digits, digits + sizeof digits, http_status).ptr;
    out.append("HTTP ").append(digits, end);
    if (!reason.empty()) {
        out.push_back(' ');
        append_sanitized(out, reason, max_message_bytes);
    }
}

}  // namespace

void append_sanitized(std::string& out, std::string_view s, std::size_t limit) {
    static constexpr std::string_view ellipsis = "...";
    static constexpr std::string_view replacement = "\xEF\xBF\xBD";
    const std::size_t start = out.size();
    const std::size_t room = limit > ellipsis.size() ? limit - ellipsis.size() : 0;
    std::size_t cut = start;  // the last piece boundary that leaves room for the ellipsis
    bool pending_space = false;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (is_space_or_control(c)) {
            pending_space = out.size() > start;
            ++i;
            continue;
        }
        std::size_t n = c < 0x80 ? 1 : text::utf8_sequence_length(s.substr(i));
        if ((n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) ||  // a C1 control
            (n > 1 && is_bidi_control(s.substr(i, n)))) {
            pending_space = out.size() > start;
            i += n;
            continue;
        }
        std::string_view piece = n == 0 ? replacement : s.substr(i, n);
        if (out.size() - start + piece.size() + (pending_space ? 1 : 0) > limit) {
            out.resize(cut);
            if (limit >= ellipsis.size()) out.append(ellipsis);
            return;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.append(piece);
        if (out.size() - start <= room) cut = out.size();
        i += n == 0 ? 1 : n;
    }
}

struct envelope_parser::impl {
    simdjson::dom::parser parser;
    std::string scratch;  // minified non-string messages
    // The previous call's input and result.
    bool have_last = false;
    int last_status = 0;
    std::string last_reason;
    std::string last_body;
    api_envelope last;

    void parse(int http_status, std::string_view reason, std::string_view body, api_envelope& out);
};

envelope_parser::envelope_parser() : impl_(std::make_unique<impl>()) {}
envelope_parser::~envelope_parser() = default;

void envelope_parser::parse(int http_status, std::string_view reason, std::string_view body, api_envelope& out) {
    impl& s = *impl_;
    if (!s.have_last || http_status != s.last_status || reason != s.last_reason || body != s.last_body) {
        s.parse(http_status, reason, body, s.last);
        s.have_last = true;
        s.last_status = http_status;
        s.last_reason.assign(reason);
        s.last_body.assign(body);
    }
    out.status.assign(s.last.status);
    out.message.assign(s.last.message);
    out.is_envelope = s.last.is_envelope;
}

void envelope_parser::impl::parse(int http_status, std::string_view reason, std::string_view body, api_envelope& out) {
    out.status.clear();
    out.message.clear();
    out.is_envelope = false;

    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS) {
        simdjson::dom::element message = root;
        bool have_message = root.is_string();
        if (root.is_object()) {
            std::string_view status;
            bool has_status = root["status"].get_string().get(status) == simdjson::SUCCESS;
            if (has_status) append_sanitized(out.status, status, max_message_bytes);
            have_message = root["message"].get(message) == simdjson::SUCCESS;
            out.is_envelope = has_status && have_message;
        }
        std::string_view text;
        if (!have_message || message.is_null()) {
            // fall back to the status line below
        } else if (message.get_string().get(text) == simdjson::SUCCESS) {
            append_sanitized(out.message, text, max_message_bytes);
        } else if (simdjson::dom::array items; message.get_array().get(items) == simdjson::SUCCESS) {
            // NestJS-style validation errors send an array of messages.
            for (simdjson::dom::element item : items) {
                if (out.message.size() + 2 >= max_message_bytes) break;
                const std::size_t joined = out.message.size();
                if (joined > 0) out.message.append("; ");
                if (item.get_string().get(text) != simdjson::SUCCESS) {
                    scratch = simdjson::minify(item);
                    text = scratch;
                }
                append_sanitized(out.message, text, max_message_bytes - out.message.size());
                // An item that added nothing (blank, or no room left) leaves no dangling "; ".
                if (out.message.size() == joined + (joined > 0 ? 2 : 0)) out.message.resize(joined);
            }
        } else if (root.is_object()) {
            scratch = simdjson::minify(message);
            append_sanitized(out.message, scratch, max_message_bytes);
        }
    } else {
        std::size_t first = 0;
        while (first < body.size() && is_space_or_control(static_cast<unsigned char>(body[first]))) ++first;
        std::string_view trimmed = body.substr(first);
        if (!trimmed.empty() && trimmed.front() == '<')
            append_sanitized(out.message, html_title(trimmed), max_message_bytes);
        else
            append_sanitized(out.message, trimmed, max_message_bytes);
    }
    if (out.message.empty()) append_status_line(out.message, http_status, reason);
}

}  // namespace prospect::net
