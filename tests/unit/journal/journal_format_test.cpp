#include "prospect/journal/journal_format.hpp"

#include <doctest/doctest.h>

using namespace prospect::journal;
using prospect::policy::outcome;

namespace {

journal_header sample_header() {
    journal_header h;
    h.input.emplace();
    h.input->fill(0xAB);
    h.settings.fill(0x5C);
    return h;
}

journal_entry entry(std::uint64_t row, outcome o, std::uint16_t status = 201, std::string message = "") {
    return {row, o, status, 1, std::move(message), "https://www.linkedin.com/in/row-" + std::to_string(row)};
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
    append_header_frame(bytes, sample_header());
    bytes += frame_of({entry(2, outcome::added), entry(4, outcome::rejected, 422, "bad \"list\"\nid")});
    bytes += frame_of({entry(3, outcome::added)});
    auto last = bytes.size();
    bytes += frame_of({entry(7, outcome::added, 200), entry(5, outcome::invalid, 0, "not a profile URL")});
    return {bytes, last};
}

}  // namespace

TEST_CASE("header and entries round-trip") {
    auto [bytes, last] = three_commits();
    auto p = parse_journal(bytes, "j");
    REQUIRE(p.header);
    CHECK(*p.header == sample_header());
    CHECK(p.version == format_version);
    CHECK(p.valid_size == bytes.size());
    CHECK(p.torn_bytes == 0);
    REQUIRE(p.entries.size() == 5);
    CHECK(p.entries.entries()[0].row == 2);  // sorted by row
    CHECK(p.entries.entries()[4].row == 7);
    REQUIRE(p.entries.find(4));
    CHECK(*p.entries.find(4) == entry(4, outcome::rejected, 422, "bad \"list\"\nid"));
    CHECK(*p.entries.find(5) == entry(5, outcome::invalid, 0, "not a profile URL"));
    CHECK(p.entries.find(6) == nullptr);
    CHECK(p.entries.find(1) == nullptr);
    CHECK(p.entries.find(8) == nullptr);
}

TEST_CASE("a header from standard input has no input fingerprint") {
    journal_header h;
    h.settings.fill(1);
    std::string bytes;
    append_header_frame(bytes, h);
    auto p = parse_journal(bytes, "j");
    REQUIRE(p.header);
    CHECK_FALSE(p.header->input);
    CHECK(p.entries.empty());
}

TEST_CASE("only final outcomes can be encoded") {
    std::string out;
    begin_entries_frame(out);
    CHECK_THROWS_AS(append_entry(out, entry(2, outcome::failed)), std::invalid_argument);
    CHECK_THROWS_AS(append_entry(out, entry(2, outcome::not_sent)), std::invalid_argument);
}

TEST_CASE("a later record of the same row wins") {
    std::string bytes;
    append_header_frame(bytes, sample_header());
    bytes += frame_of({entry(3, outcome::rejected, 400, "first")});
    bytes += frame_of({entry(2, outcome::added), entry(3, outcome::added, 201, "second")});
    auto p = parse_journal(bytes, "j");
    REQUIRE(p.entries.size() == 2);
    CHECK(p.entries.find(3)->message == "second");
}

TEST_CASE("a torn last commit is ignored, cut at every byte offset") {
    auto [bytes, last] = three_commits();
    for (std::size_t cut = last; cut < bytes.size(); ++cut) {
        CAPTURE(cut);
        auto p = parse_journal(std::string_view(bytes).substr(0, cut), "j");
        CHECK(p.valid_size == last);
        CHECK(p.torn_bytes == cut - last);
        CHECK(p.entries.size() == 3);
        CHECK(p.entries.find(7) == nullptr);
    }
}

TEST_CASE("a last commit damaged at any byte is ignored") {
    auto [bytes, last] = three_commits();
    for (std::size_t at = last; at < bytes.size(); ++at) {
        CAPTURE(at);
        auto damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x40);
        auto p = parse_journal(damaged, "j");
        CHECK(p.valid_size == last);
        CHECK(p.entries.size() == 3);
    }
}

TEST_CASE("a power-loss tail of zeros after the last commit is ignored") {
    auto [bytes, last] = three_commits();
    auto torn = bytes.substr(0, last) + std::string(4096, '\0');
    auto p = parse_journal(torn, "j");
    CHECK(p.valid_size == last);
    CHECK(p.torn_bytes == 4096);
    CHECK(p.entries.size() == 3);
}

TEST_CASE("a damaged record before the last is an error naming the offset") {
    auto [bytes, last] = three_commits();
    std::string header;
    append_header_frame(header, sample_header());
    for (std::size_t at : {header.size(), header.size() + 5, header.size() + 20, last - 1}) {
        CAPTURE(at);
        auto damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
        try {
            parse_journal(damaged, "/data/run.journal");
            FAIL("no error");
        } catch (const journal_error& e) {
            std::string what = e.what();
            CHECK(what.find("/data/run.journal is corrupt") != std::string::npos);
            CHECK(what.find("--restart") != std::string::npos);
        }
    }
}

TEST_CASE("a damaged header with records after it is an error") {
    auto [bytes, last] = three_commits();
    bytes[20] = static_cast<char>(bytes[20] ^ 0x01);
    CHECK_THROWS_AS(parse_journal(bytes, "j"), journal_error);
}

TEST_CASE("an empty file or a header torn at creation means start afresh") {
    CHECK_FALSE(parse_journal("", "j").header);
    std::string header;
    append_header_frame(header, sample_header());
    for (std::size_t cut = 1; cut < header.size(); ++cut) {
        CAPTURE(cut);
        auto p = parse_journal(std::string_view(header).substr(0, cut), "j");
        CHECK_FALSE(p.header);
        CHECK(p.valid_size == 0);
        CHECK(p.torn_bytes == cut);
    }
}

TEST_CASE("a file that is not a journal is refused, not treated as torn") {
    CHECK_THROWS_WITH_AS(parse_journal("row,profile_url\n2,x\n", "r.csv"),
                         "r.csv is not a prospect-import journal", journal_error);
    CHECK_THROWS_AS(parse_journal("x", "r.csv"), journal_error);
}

TEST_CASE("a newer format version is refused") {
    std::string bytes;
    append_header_frame(bytes, sample_header());
    // type (1) and magic (16) precede the version in the header payload.
    bytes[frame_header_size + 17] = static_cast<char>(format_version + 1);
    auto start = std::size_t{0};
    seal_frame(bytes, start);
    CHECK_THROWS_WITH_AS(parse_journal(bytes, "j"), doctest::Contains("newer"), journal_error);
}
