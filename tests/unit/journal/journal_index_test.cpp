#include "prospect/journal/journal_index.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace prospect::journal;
using prospect::policy::outcome;
using namespace std::chrono;

namespace {

constexpr std::string_view campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
constexpr std::string_view list_1 = "cf33282b-b171-4d23-ae02-848499d793e4";
constexpr std::string_view list_2 = "0b7e7c55-6f0c-4c5e-9a51-2f4a8f8a5e10";
const sys_seconds t0 = sys_days{year{2026} / 11 / 30} + hours{5} + minutes{12};

journal_entry entry(std::string_view url, std::string_view list, outcome o, bool move = false,
                    std::string_view message = "") {
    return {url, campaign, list, o, move, static_cast<std::uint16_t>(o == outcome::added ? 201 : 400), 2, message,
            t0};
}

}  // namespace

TEST_CASE("keys are found by URL, campaign and list, with what was recorded") {
    journal_index idx;
    idx.add(entry("https://www.linkedin.com/in/a", list_1, outcome::added), 0);
    idx.add(entry("https://www.linkedin.com/in/b", list_1, outcome::rejected, true, "already in another list"), 1);
    idx.seal();
    CHECK(idx.size() == 2);
    CHECK(idx.entries() == 2);

    auto a = idx.find("https://www.linkedin.com/in/a", campaign, list_1);
    REQUIRE(a);
    CHECK(a->outcome == outcome::added);
    CHECK(a->http_status == 201);
    CHECK(a->attempts == 2);
    CHECK(a->recorded_at == t0);
    CHECK_FALSE(a->move);

    auto b = idx.find("https://www.linkedin.com/in/b", campaign, list_1);
    REQUIRE(b);
    CHECK(b->outcome == outcome::rejected);
    CHECK(b->move);
    CHECK(b->message == "already in another list");

    CHECK_FALSE(idx.find("https://www.linkedin.com/in/a", campaign, list_2));  // another list: another key
    CHECK_FALSE(idx.find("https://www.linkedin.com/in/a", "", list_1));
    CHECK_FALSE(idx.find("https://www.linkedin.com/in/c", campaign, list_1));
}

TEST_CASE("an empty index finds nothing") {
    journal_index idx;
    idx.seal();
    CHECK(idx.empty());
    CHECK_FALSE(idx.find("https://www.linkedin.com/in/a", campaign, list_1));
}

TEST_CASE("the latest record of a key wins and the earlier one is superseded") {
    journal_index idx;
    idx.add(entry("https://www.linkedin.com/in/a", list_1, outcome::rejected, false, "duplicate"), 0);
    idx.add(entry("https://www.linkedin.com/in/z", list_1, outcome::added), 1);
    idx.add(entry("https://www.linkedin.com/in/a", list_1, outcome::added, true), 2);
    idx.seal();
    CHECK(idx.size() == 2);
    CHECK(idx.entries() == 3);
    auto a = idx.find("https://www.linkedin.com/in/a", campaign, list_1);
    REQUIRE(a);
    CHECK(a->outcome == outcome::added);
    CHECK(a->move);
    CHECK_FALSE(idx.is_latest(entry("https://www.linkedin.com/in/a", list_1, outcome::rejected), 0));
    CHECK(idx.is_latest(entry("https://www.linkedin.com/in/a", list_1, outcome::added), 2));
    CHECK(idx.is_latest(entry("https://www.linkedin.com/in/z", list_1, outcome::added), 1));
}

TEST_CASE("a rejected key is final only for the move flag it was rejected with, an added key for both") {
    recorded_outcome rejected{outcome::rejected, false, 400, 1, "already in another list", t0};
    CHECK(is_final_for(rejected, false));
    CHECK_FALSE(is_final_for(rejected, true));
    rejected.move = true;
    CHECK(is_final_for(rejected, true));
    CHECK_FALSE(is_final_for(rejected, false));
    recorded_outcome added{outcome::added, false, 201, 1, "", t0};
    CHECK(is_final_for(added, false));
    CHECK(is_final_for(added, true));
}

TEST_CASE("a resumed row's message says when it was added, or keeps the API's rejection") {
    CHECK(resumed_message({outcome::added, false, 201, 1, "", t0}) == "added by an earlier run on 2026-11-30 05:12 UTC");
    CHECK(resumed_message({outcome::rejected, false, 400, 1, "prospectListId: not found", t0}) ==
          "prospectListId: not found");
}

TEST_CASE("compaction is worth it once superseded records are as many as live keys") {
    CHECK_FALSE(worth_compacting(0, 0));
    CHECK_FALSE(worth_compacting(10, 10));
    CHECK_FALSE(worth_compacting(19, 10));
    CHECK(worth_compacting(20, 10));
    CHECK(worth_compacting(2, 1));
}

TEST_CASE("a million keys take 36 bytes each, messages once") {
    journal_index idx;
    std::string url;
    for (std::uint64_t i = 0; i < 1'000'000; ++i) {
        url = "https://www.linkedin.com/in/lead-" + std::to_string(i);
        idx.add(entry(url, list_1, i % 10 ? outcome::added : outcome::rejected, false,
                      i % 10 ? "" : "already in another list"),
                i);
    }
    idx.seal();
    CHECK(idx.size() == 1'000'000);
    CHECK(idx.memory_bytes() < 1'000'000 * 36 + 1024);
    for (std::uint64_t i : {0ull, 1ull, 999'999ull}) {
        url = "https://www.linkedin.com/in/lead-" + std::to_string(i);
        auto r = idx.find(url, campaign, list_1);
        REQUIRE(r);
        CHECK(r->outcome == (i % 10 ? outcome::added : outcome::rejected));
    }
}
