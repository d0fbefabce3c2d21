#include "prospect/journal/journal_format.hpp"

#include <doctest/doctest.h>
#include <map>

using namespace prospect::journal;
using prospect::policy::outcome;
using namespace std::chrono;

namespace {

const journal_header api{"https://api.example.com", "single"};
const sys_seconds t0 = sys_days{year{2026} / 11 / 30} + hours{5} + minutes{12} + seconds{40};

// Strings an entry's views point into, kept for the whole test run.
const std::string& url_of(int i) {
    static std::map<int, std::string> urls;
    return urls.try_emplace(i, "https://www.linkedin.com/in/lead-" + std::to_string(i)).first->second;
}

journal_entry entry(int i, outcome o = outcome::added, std::string_view message = "", bool move = false) {
    return {url_of(i), "8d256aa6-9b12-49a7-93ee-bf41634b5b60", "cf33282b-b171-4d23-ae02-848499d793e4",
            o, move, static_cast<std::uint16_t>(o == outcome::added ? 201 : 400), 1, message, t0 + seconds{i}};
}

std::string frame_of(const std::vector<journal_entry>& entries) {
    std::string out;
    auto start = begin_entries_frame(out);
    for (const auto& e : entries) append_entry(out, e);
    seal_frame(out, start);
    return out;
}

// A header and three commits; returns the bytes and where the last commit starts.
std::pair<std::string, std::size_t> three_commits() {
    std::string bytes;
    append_header_frame(bytes, api);
    bytes += frame_of({entry(2), entry(4, outcome::rejected, "bad \"list\"\nid")});
    bytes += frame_of({entry(3)});
    auto last = bytes.size();
    bytes += frame_of({entry(7, outcome::rejected, "", true), entry(5)});
    return {bytes, last};
}

struct parsed {
    journal_parser parser{"j"};
    std::vector<std::string> urls;  // copies: the views die with the frame
};

// Feeds `bytes` in pieces of `piece` bytes, as the file reader does.
parsed parse_all(std::string_view bytes, std::size_t piece = 1u << 20) {
    parsed r;
    std::string buf;
    for (std::size_t at = 0;; at += piece) {
        buf.append(bytes.substr(std::min(at, bytes.size()), piece));
        buf.erase(0, r.parser.parse(buf, [&](const journal_entry& e, std::uint64_t ordinal) {
            CHECK(ordinal == r.urls.size());
            r.urls.emplace_back(e.normalized_url);
        }));
        if (at >= bytes.size()) break;
    }
    r.parser.finish(buf);
    return r;
}

}  // namespace

TEST_CASE("header and entries round-trip, fed whole or a few bytes at a time") {
    auto [bytes, last] = three_commits();
    const std::vector<journal_entry> want{entry(2), entry(4, outcome::rejected, "bad \"list\"\nid"), entry(3),
                                          entry(7, outcome::rejected, "", true), entry(5)};
    for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{1} << 20}) {
        CAPTURE(piece);
        journal_parser p("j");
        std::size_t seen = 0;
        std::string buf;
        for (std::size_t at = 0; at < bytes.size(); at += piece) {
            buf.append(bytes.substr(at, piece));
            buf.erase(0, p.parse(buf, [&](const journal_entry& e, std::uint64_t ordinal) {
                REQUIRE(ordinal < want.size());
                CHECK(ordinal == seen++);
                CHECK(e == want[ordinal]);
            }));
        }
        p.finish(buf);
        REQUIRE(p.header());
        CHECK(*p.header() == api);
        CHECK(p.valid_size() == bytes.size());
        CHECK(p.torn_bytes() == 0);
        CHECK(p.entries() == 5);
        CHECK(seen == 5);
    }
}

TEST_CASE("only added and rejected can be encoded") {
    std::string out;
    begin_entries_frame(out);
    for (auto o : {outcome::failed, outcome::not_sent, outcome::invalid, outcome::duplicate}) {
        CAPTURE(to_string(o));
        CHECK_THROWS_AS(append_entry(out, entry(2, o)), std::invalid_argument);
    }
}

TEST_CASE("entry_size is what append_entry writes") {
    std::string out;
    auto e = entry(12, outcome::rejected, "prospectListId: not found");
    append_entry(out, e);
    CHECK(out.size() == entry_size(e));
}

TEST_CASE("a torn last commit is ignored, cut at every byte offset") {
    auto [bytes, last] = three_commits();
    for (std::size_t cut = last; cut < bytes.size(); ++cut) {
        CAPTURE(cut);
        auto r = parse_all(std::string_view(bytes).substr(0, cut), 5);
        CHECK(r.parser.valid_size() == last);
        CHECK(r.parser.torn_bytes() == cut - last);
        CHECK(r.urls.size() == 3);
    }
}

TEST_CASE("a last commit damaged at any byte is ignored") {
    auto [bytes, last] = three_commits();
    for (std::size_t at = last; at < bytes.size(); ++at) {
        CAPTURE(at);
        auto damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x40);
        auto r = parse_all(damaged);
        CHECK(r.parser.valid_size() == last);
        CHECK(r.urls.size() == 3);
    }
}

TEST_CASE("a power-loss tail of zeros after the last commit is ignored") {
    auto [bytes, last] = three_commits();
    auto torn = bytes.substr(0, last) + std::string(4096, '\0');
    auto r = parse_all(torn, 1000);
    CHECK(r.parser.valid_size() == last);
    CHECK(r.parser.torn_bytes() == 4096);
    CHECK(r.urls.size() == 3);
}

TEST_CASE("a damaged record before the last is an error naming the offset") {
    auto [bytes, last] = three_commits();
    std::string header;
    append_header_frame(header, api);
    auto second = last - frame_of({entry(3)}).size();
    // Not a structured binding: clang 14 cannot capture one (CAPTURE is a lambda).
    for (const auto& damage : std::vector<std::pair<std::size_t, std::size_t>>{
             {header.size(), header.size()}, {header.size() + 5, header.size()}, {header.size() + 20, header.size()},
             {last - 1, second}}) {
        const std::size_t at = damage.first, frame = damage.second;
        CAPTURE(at);
        auto damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
        journal_parser p("/data/run.journal");
        auto used = p.parse(damaged, [](const journal_entry&, std::uint64_t) {});
        try {
            p.finish(std::string_view(damaged).substr(used));
            FAIL("no error");
        } catch (const journal_error& e) {
            std::string what = e.what();
            CHECK(what.find("/data/run.journal is corrupt at byte " + std::to_string(frame) + " ") !=
                  std::string::npos);
            CHECK(what.find("--restart") != std::string::npos);
        }
    }
}

TEST_CASE("a damaged header with records after it is an error") {
    auto [bytes, last] = three_commits();
    bytes[20] = static_cast<char>(bytes[20] ^ 0x01);
    CHECK_THROWS_AS(parse_all(bytes), journal_error);
}

TEST_CASE("an empty file or a header torn at creation means start afresh") {
    CHECK_FALSE(parse_all("").parser.header());
    std::string header;
    append_header_frame(header, api);
    for (std::size_t cut = 1; cut < header.size(); ++cut) {
        CAPTURE(cut);
        auto r = parse_all(std::string_view(header).substr(0, cut));
        CHECK_FALSE(r.parser.header());
        CHECK(r.parser.valid_size() == 0);
        CHECK(r.parser.torn_bytes() == cut);
    }
}

TEST_CASE("a file that is not a journal is refused, not treated as torn") {
    CHECK_THROWS_WITH_AS(parse_all("row,profile_url\n2,x\n"), "j is not a prospect-import journal", journal_error);
    CHECK_THROWS_AS(parse_all("x"), journal_error);
}

TEST_CASE("a newer format version is refused, and so is the old one bound to an input file") {
    for (auto version : {format_version + 1, format_version - 1}) {
        CAPTURE(version);
        std::string bytes;
        append_header_frame(bytes, api);
        // type (1) and magic (16) precede the version in the header payload.
        bytes[frame_header_size + 17] = static_cast<char>(version);
        seal_frame(bytes, 0);
        CHECK_THROWS_WITH_AS(parse_all(bytes), doctest::Contains(version > format_version ? "newer" : "--restart"),
                             journal_error);
    }
}

TEST_CASE("utc_minute writes the time a report message shows") {
    CHECK(utc_minute(t0) == "2026-11-30 05:12 UTC");
    CHECK(utc_minute(sys_seconds{}) == "1970-01-01 00:00 UTC");
}
