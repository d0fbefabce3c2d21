// Scheme, authority and the first path segments are read off the cell as
// views; only the slug is copied: percent-decoded into `out`, checked, then
// re-encoded in place.
#include "prospect/lead/profile_url.hpp"

#include "url_bytes.hpp"

#include "prospect/lead/cell.hpp"
#include "prospect/lead/url_paths.hpp"
#include "prospect/text/ascii.hpp"
#include "prospect/text/utf8.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect::lead {

namespace {

using text::icontains;
using text::iends_with;
using text::iequals;
using text::istarts_with;

using url_bytes::byte_classes;
using url_bytes::canonical_prefix;
using url_bytes::has_bad_character;
using url_bytes::literal;
using url_bytes::member_id_prefix;

// Index of the first byte of `set`, or npos: with SSE2 (always there on
// x86-64) 16 bytes a step, the last step overlapping; else, and in cells
// under 16 bytes, a byte at a time. (std::string_view::find_first_of calls
// memchr once per byte per set member.)
template <char... set>
std::size_t find_any(std::string_view s) noexcept {
#if defined(__SSE2__)
    if (s.size() >= 16) {
        auto hits = [&](std::size_t at) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
            return static_cast<unsigned>(_mm_movemask_epi8((_mm_cmpeq_epi8(v, _mm_set1_epi8(set)) | ...)));
        };
        std::size_t i = 0;
        for (; i + 16 <= s.size(); i += 16)
            if (unsigned m = hits(i)) return i + static_cast<std::size_t>(std::countr_zero(m));
        // bytes before i hold none, so the first hit of the overlapping step is at i or after
        if (unsigned m = i < s.size() ? hits(s.size() - 16) : 0u)
            return s.size() - 16 + static_cast<std::size_t>(std::countr_zero(m));
        return std::string_view::npos;
    }
#endif
    for (std::size_t i = 0; i < s.size(); ++i)
        if (((s[i] == set) || ...)) return i;
    return std::string_view::npos;
}

// Where a scheme, an authority and a path end.
std::size_t find_scheme_end(std::string_view s) noexcept { return find_any<':', '/', '?', '#', '@'>(s); }
std::size_t find_authority_end(std::string_view s) noexcept { return find_any<'/', '?', '#'>(s); }
std::size_t find_path_end(std::string_view s) noexcept { return find_any<'?', '#'>(s); }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_scheme_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
}

bool is_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Splits off "scheme:" when there is one. Returns the error, if any, and
// leaves `rest` after "scheme://" (or after a leading "//").
std::optional<url_error> strip_scheme(std::string_view& rest, bool& had_scheme) {
    had_scheme = false;
    if (rest.starts_with("//")) {
        rest.remove_prefix(2);
        had_scheme = true;
        return std::nullopt;
    }
    std::size_t end = find_scheme_end(rest);
    if (end == std::string_view::npos || rest[end] != ':' || end == 0) return std::nullopt;
    std::string_view scheme = rest.substr(0, end);
    std::string_view after = rest.substr(end + 1);
    // "linkedin.com:443/in/x" is a host and a port, not a scheme.
    std::size_t port_end = find_authority_end(after);
    if (is_digits(after.substr(0, port_end))) return std::nullopt;
    for (char c : scheme)
        if (!is_scheme_char(c)) return std::nullopt;
    if (!after.starts_with("//")) return url_error::unsupported_scheme;
    if (!iequals(scheme, "http") && !iequals(scheme, "https")) return url_error::unsupported_scheme;
    rest = after.substr(2);
    had_scheme = true;
    return std::nullopt;
}

bool is_host_label(std::string_view label) noexcept {
    if (label.empty()) return false;
    for (char c : label)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

bool is_linkedin_host(std::string_view host) noexcept {
    constexpr std::string_view apex = "linkedin.com";
    if (!iends_with(host, apex)) return false;
    std::string_view subdomains = host.substr(0, host.size() - apex.size());
    if (subdomains.empty()) return true;
    if (subdomains.back() != '.') return false;  // "evil-linkedin.com"
    subdomains.remove_suffix(1);
    for (;;) {
        std::size_t dot = subdomains.find('.');
        if (!is_host_label(subdomains.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        subdomains.remove_prefix(dot + 1);
    }
}

std::optional<url_error> check_authority(std::string_view authority, bool had_scheme) {
    if (authority.find('@') != std::string_view::npos)
        return had_scheme ? url_error::user_info : url_error::email;
    std::string_view host = authority;
    if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        std::string_view port = authority.substr(colon + 1);
        host = authority.substr(0, colon);
        if (port != "80" && port != "443") return url_error::bad_port;
    }
    if (host.ends_with('.')) host.remove_suffix(1);
    if (is_linkedin_host(host)) return std::nullopt;
    if (iequals(host, "lnkd.in") || iequals(host, "www.lnkd.in")) return url_error::short_link;
    if (icontains(host, "linkedin")) return url_error::lookalike_host;
    return url_error::not_linkedin;
}

// Yields the non-empty '/'-separated segments of a path.
struct segments {
    std::string_view rest;
    std::optional<std::string_view> next() noexcept {
        while (rest.starts_with('/')) rest.remove_prefix(1);
        if (rest.empty()) return std::nullopt;
        std::size_t slash = rest.find('/');
        std::string_view seg = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
        return seg;
    }
};

std::optional<url_error> classify_page(std::string_view first) noexcept {
    if (iequals(first, "company") || iequals(first, "showcase")) return url_error::company_page;
    if (iequals(first, "school")) return url_error::school_page;
    if (iequals(first, "sales")) return url_error::sales_navigator;
    if (iequals(first, "pub")) return url_error::legacy_pub;
    if (iequals(first, "search")) return url_error::search_page;
    if (iequals(first, "feed") || iequals(first, "posts") || iequals(first, "pulse") || iequals(first, "embed"))
        return url_error::feed_or_post;
    return url_error::not_a_profile;
}

// The slug segment as written in the URL, or the reason there is none.
std::optional<url_error> find_slug(std::string_view path, std::string_view& slug) noexcept {
    segments segs{path};
    auto first = segs.next();
    if (!first) return url_error::not_a_profile;
    if (iequals(*first, "mwlite")) {
        first = segs.next();
        if (!first) return url_error::not_a_profile;
    }
    if (!iequals(*first, "in")) return classify_page(*first);
    auto s = segs.next();
    if (!s) return url_error::missing_slug;
    slug = *s;
    return std::nullopt;
}


// Appends the slug's bytes to `out`.
std::optional<url_error> percent_decode(std::string_view slug, std::string& out) {
    const std::size_t from = out.size();
    out.resize(from + slug.size());  // decoding never grows
    char* w = out.data() + from;
    for (std::size_t i = 0; i < slug.size(); ++i) {
        if (slug[i] != '%') {
            *w++ = slug[i];
            continue;
        }
        int hi = i + 2 < slug.size() ? hex_value(slug[i + 1]) : -1;
        int lo = hi >= 0 ? hex_value(slug[i + 2]) : -1;
        if (lo < 0) return url_error::bad_percent_encoding;
        *w++ = static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return std::nullopt;
}

// Replaces out[from, end) (decoded bytes) by their canonical encoding.
void reencode_tail(std::string& out, std::size_t from) {
    constexpr auto& hex = url_bytes::hex_digits;
    std::string_view decoded(out.data() + from, out.size() - from);
    const bool member_id = decoded.starts_with(member_id_prefix);
    // Upper-case letters are literal either way: kept in a member id,
    // lower-cased otherwise.
    std::size_t encoded_size = 0;
    for (char c : decoded) encoded_size += (byte_classes[static_cast<unsigned char>(c)] & literal) ? 1 : 3;
    std::size_t decoded_size = decoded.size();
    out.resize(from + decoded_size + encoded_size);
    // Encoding only grows, so writing from the back never overwrites an
    // unread decoded byte.
    std::size_t w = out.size();
    for (std::size_t r = from + decoded_size; r-- > from;) {
        auto b = static_cast<unsigned char>(out[r]);
        if (byte_classes[b] & literal) {
            out[--w] = member_id ? static_cast<char>(b) : text::ascii_lower(static_cast<char>(b));
        } else {
            out[--w] = hex[b & 0xF];
            out[--w] = hex[b >> 4];
            out[--w] = '%';
        }
    }
    out.erase(from, decoded_size);
}

// Eight ASCII letters, digits or marks with A-Z folded to a-z: a byte's top
// bit after adding 0x3F says >= 'A', after adding 0x25 says > 'Z' (no carry
// leaves a byte below 0x80).
std::uint64_t ascii_lower8(std::uint64_t w) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const std::uint64_t from_a = w + ones * (0x80 - 'A'), past_z = w + ones * (0x80 - 'Z' - 1);
    return w | (((from_a & ~past_z) & highs) >> 2);
}

// A slug without '%' is its own decoded form: checked and encoded straight
// from the cell, into room made once. The usual slug is all literal bytes
// (so ASCII, so UTF-8): copied, then folded eight bytes a step.
std::optional<url_error> encode_plain_slug(std::string_view slug, std::string& out) {
    unsigned char all = literal;
    for (char c : slug) all &= byte_classes[static_cast<unsigned char>(c)];
    if (all & literal) {
        if (slug == "." || slug == "..") return url_error::missing_slug;
        out.resize(canonical_prefix.size() + slug.size());
        char* w = std::copy(canonical_prefix.begin(), canonical_prefix.end(), out.data());
        std::memcpy(w, slug.data(), slug.size());
        if (slug.starts_with(member_id_prefix)) return std::nullopt;
        if (slug.size() < 8) {
            for (std::size_t i = 0; i < slug.size(); ++i) w[i] = text::ascii_lower(w[i]);
            return std::nullopt;
        }
        // folding is idempotent, so the last step may overlap the one before
        for (std::size_t i = 0;; i += 8) {
            const std::size_t at = std::min(i, slug.size() - 8);
            std::uint64_t word;
            std::memcpy(&word, w + at, 8);
            word = ascii_lower8(word);
            std::memcpy(w + at, &word, 8);
            if (at == slug.size() - 8) return std::nullopt;
        }
    }
    // the raw bytes are to blame, there being no escapes
    if (!text::is_valid_utf8(slug)) return url_error::not_utf8_text;
    constexpr auto& hex = url_bytes::hex_digits;
    const bool member_id = slug.starts_with(member_id_prefix);
    out.resize(canonical_prefix.size() + 3 * slug.size());
    char* w = std::copy(canonical_prefix.begin(), canonical_prefix.end(), out.data());
    for (char c : slug) {
        const auto b = static_cast<unsigned char>(c);
        if (byte_classes[b] & literal) {
            *w++ = member_id ? c : text::ascii_lower(c);
        } else {
            *w++ = '%';
            *w++ = hex[b >> 4];
            *w++ = hex[b & 0xF];
        }
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return std::nullopt;
}

}  // namespace

std::optional<url_error> normalize_profile_url(std::string_view cell, std::string& out) {
    const std::string_view s = trim_cell_inline(cell);
    if (normalize_usual_url(s, out)) return std::nullopt;
    return normalize_any_url(s, out);
}

std::optional<url_error> normalize_any_url(std::string_view s, std::string& out) {
    out.clear();
    if (s.empty()) return url_error::empty;
    if (has_bad_character(s)) return url_error::bad_character;
    if (istarts_with(s, "mailto:")) return url_error::email;

    bool had_scheme = false;
    if (auto e = strip_scheme(s, had_scheme)) return e;
    std::size_t authority_end = find_authority_end(s);
    if (auto e = check_authority(s.substr(0, authority_end), had_scheme)) return e;
    std::string_view path;
    if (authority_end != std::string_view::npos && s[authority_end] == '/') {
        path = s.substr(authority_end);
        path = path.substr(0, find_path_end(path));
    }

    std::string_view slug;
    if (auto e = find_slug(path, slug)) return e;
    if (slug.find('%') == std::string_view::npos) return encode_plain_slug(slug, out);
    out.append(canonical_prefix);
    std::size_t from = out.size();
    std::optional<url_error> error = percent_decode(slug, out);
    std::string_view decoded(out.data() + from, out.size() - from);
    // Only on failure: was it the raw bytes (a Windows-1252 file, say) or the escapes?
    if (!error && !text::is_valid_utf8(decoded))
        error = text::is_valid_utf8(slug) ? url_error::invalid_utf8 : url_error::not_utf8_text;
    if (!error && (decoded == "." || decoded == "..")) error = url_error::missing_slug;
    if (error) {
        out.clear();
        return error;
    }
    reencode_tail(out, from);
    return std::nullopt;
}

}  // namespace prospect::lead
