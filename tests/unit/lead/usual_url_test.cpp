#include "prospect/lead/url_paths.hpp"

#include "prospect/lead/cell.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace prospect::lead;

namespace {

struct outcome {
    std::optional<url_error> error;
    std::string url;
    friend bool operator==(const outcome&, const outcome&) = default;
};

// The cell in a heap block of exactly its size, so that the sanitizers see
// any read past it.
struct exact_cell {
    std::unique_ptr<char[]> bytes;
    std::size_t size;
    explicit exact_cell(const std::string& s) : bytes(new char[s.size() + 1]), size(s.size()) {
        s.copy(bytes.get(), s.size());
    }
    std::string_view view() const { return {bytes.get(), size}; }
};

// The fast path, through normalize_profile_url with `reused` holding the
// last row's output, against the general parser alone: same error, same URL.
void check_same(const std::string& cell, std::string& reused, std::size_t& fast) {
    CAPTURE(cell);
    const exact_cell c(cell);
    outcome general;
    general.error = normalize_any_url(trim_cell(c.view()), general.url);
    outcome seen;
    seen.error = normalize_profile_url(c.view(), reused);
    seen.url = reused;
    CHECK(seen == general);
    std::string direct = "left over from another row, longer than most URLs are";
    if (normalize_usual_url(trim_cell(c.view()), direct)) {
        ++fast;
        CHECK_FALSE(general.error);
        CHECK(direct == general.url);
    }
}

const std::vector<std::string> schemes = {"",        "https://", "http://", "HTTPS://", "hTtP://", "//",
                                          "ftp://",  "https:/",  "https:",  "mailto:",  "http:///"};
const std::vector<std::string> hosts = {
    "linkedin.com", "www.linkedin.com", "WWW.LinkedIn.COM", "uk.linkedin.com", "de.linkedin.com",
    "m.linkedin.com", "www.uk.linkedin.com", "linkedin.com.", "linkedin.com:443", "linkedin.com:8080",
    "evil-linkedin.com", "linkedin.com.evil.example", "lnkd.in", "x_y.linkedin.com", "-.linkedin.com",
    ".linkedin.com", "user@linkedin.com", "linkedin.co", "wwwlinkedin.com", "a1-b.linkedin.com",
    "\xC3\xA9.linkedin.com", "www..linkedin.com", "linkedin.comx"};
const std::vector<std::string> paths = {"/in/", "/IN/", "/In/", "/in//", "//in/", "/mwlite/in/", "/company/",
                                        "/in",  "/pub/", "?in/", "#in/", "/in/%41"};
const std::vector<std::string> pieces = {
    "a", "z", "A", "Z", "0", "9", "-", ".", "_", "~", "jane", "DOE", "%", "%41", "%c3%b6", "%zz", "\xC3\xB6",
    "\xC3\x96", "\xE6\x9D\x8E", "\xF0\x9F\x98\x80", "\xE9", "\xC3", "\xED\xA0\x80", "\xC0\xAF", "\xE6\x9D",
    "\xF0\x9F\x98", "\xE0\x80\x80", "\xDF\xBF", "\xC2\x80", "\xF4\x90\x80\x80", "+", "@", ":",
    "!", "'", "(", "[", "`", "{", "ACoAA", "ACoA", "acoaa", " ", "\t", "\x7F", "\x01", "\xC2\xA0", "/", "?", "#",
    "@", "..", "1a2b3c4d", "0123456789abcdef"};
const std::vector<std::string> tails = {"", "/", "/details/experience/", "?trk=public_profile", "#about",
                                        "/?x=%zz", "?a=b c", "/de", "?", "#", "/\xE9", "?\xC3\xB6"};
const std::vector<std::string> spaces = {"", " ", "\t", "\xC2\xA0", "\xEF\xBB\xBF", "\xE2\x80\x8B"};

}  // namespace

TEST_CASE("the fast path gives what the general parser gives, on random and adversarial URLs") {
    std::mt19937 random(11);
    auto pick = [&](const std::vector<std::string>& v) { return v[random() % v.size()]; };
    std::string reused;
    std::size_t fast = 0;
    constexpr std::size_t urls = 200'000;
    for (std::size_t i = 0; i < urls; ++i) {
        // Mostly the usual shape, so that the fast path is taken and its
        // slug handling tried on every kind of byte; the rest anything.
        const bool usual = random() % 4 != 0;
        std::string url = pick(spaces) + (usual ? pick({"", "https://", "http://", "HTTPS://"}) : pick(schemes));
        url += usual ? pick({"linkedin.com", "www.linkedin.com", "uk.linkedin.com", "WWW.LINKEDIN.COM"}) : pick(hosts);
        url += usual ? pick({"/in/", "/IN/"}) : pick(paths);
        const std::size_t parts = random() % 12;
        for (std::size_t p = 0; p < parts; ++p)
            url += random() % 3 ? std::string(1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"[random() % 66])
                                : pick(pieces);
        url += pick(tails) + pick(spaces);
        check_same(url, reused, fast);
    }
    MESSAGE("fast path taken for " << fast << " of " << urls);
    CHECK(fast > urls / 3);
}

TEST_CASE("slugs of every length around the 16-byte steps and the 64-byte limit, at every offset in the cell") {
    std::string reused;
    std::size_t fast = 0;
    for (std::size_t length = 0; length <= 80; ++length)
        for (std::string_view before : {"", "https://", "https://www."})
            for (std::string_view after : {"", "/", "?q=1", "%"})
                for (std::string_view fill : {"aB3-", "a\xC3\xB6", "x+y", "ACoAAz"}) {
                    std::string slug;
                    while (slug.size() < length) slug += fill;
                    slug.resize(length);  // may cut a UTF-8 sequence: not_utf8_text, from the general parser
                    check_same(std::string(before) + "linkedin.com/in/" + slug + std::string(after), reused, fast);
                }
    CHECK(fast > 500);
}

TEST_CASE("the usual forms take the fast path") {
    std::string out;
    for (const char* url : {"https://www.linkedin.com/in/jane-doe", "http://www.linkedin.com/in/jane-doe?trk=x",
                            "linkedin.com/in/jane-doe", "https://uk.linkedin.com/in/jane-doe",
                            "HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE/", "www.linkedin.com/in/j\xC3\xB6rg-m\xC3\xBCller-1a",
                            "https://www.linkedin.com/in/jane-doe/details/experience/"}) {
        CAPTURE(url);
        CHECK(normalize_usual_url(url, out));
    }
    CHECK(normalize_usual_url("HTTPS://WWW.LINKEDIN.COM/IN/J\xC3\x96RG/", out));
    CHECK(out == "https://www.linkedin.com/in/j%C3%96rg");
    CHECK(normalize_usual_url("https://www.linkedin.com/in/ACoAAbC+d", out));
    CHECK(out == "https://www.linkedin.com/in/ACoAAbC%2Bd");
    // handed over: a port, an escape, a control byte, a trailing dot
    CHECK_FALSE(normalize_usual_url("https://www.linkedin.com:443/in/jane", out));
    CHECK_FALSE(normalize_usual_url("https://www.linkedin.com/in/j%C3%B6rg", out));
    CHECK_FALSE(normalize_usual_url("https://www.linkedin.com/in/jane\x0E", out));
    CHECK_FALSE(normalize_usual_url("https://www.linkedin.com./in/jane", out));
}
