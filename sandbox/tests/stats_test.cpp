#include "prospect/sandbox/stats.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;

TEST_CASE("counts by status and drops, in JSON") {
    request_stats s;
    std::string json;
    s.append_json(json);
    CHECK(json == "{\"requests\":0,\"byStatus\":{},\"dropped\":0}");
    s.count(201);
    s.count(201);
    s.count(429);
    s.count_drop();
    CHECK(s.of(201) == 2);
    CHECK(s.total() == 4);
    json.clear();
    s.append_json(json);
    CHECK(json == "{\"requests\":4,\"byStatus\":{\"201\":2,\"429\":1},\"dropped\":1}");
}

namespace {
using namespace std::chrono_literals;
const post_timeline::clock::time_point t0{1000s};

std::string json_of(const post_timeline& t) {
    std::string json;
    t.append_json(json);
    return json;
}
}  // namespace

TEST_CASE("an empty timeline is all zeros") {
    post_timeline t;
    CHECK(json_of(t) == "{\"posts\":0,\"spanUs\":0,\"maxInAnySecond\":0,\"perSecond\":[]}");
}

TEST_CASE("the timeline counts per second from the first post, with empty seconds") {
    post_timeline t;
    t.record(t0);
    t.record(t0 + 999ms);
    t.record(t0 + 1s);
    t.record(t0 + 3s + 500ms);
    CHECK(t.posts() == 4);
    CHECK(t.per_second() == std::vector<std::uint32_t>{2, 1, 0, 1});
    CHECK(t.span() == 3500ms);
    CHECK(json_of(t) == "{\"posts\":4,\"spanUs\":3500000,\"maxInAnySecond\":2,\"perSecond\":[2,1,0,1]}");
}

TEST_CASE("the largest count in one second slides across the aligned seconds") {
    // 3 posts late in second 0 and 3 early in second 1: no aligned second
    // holds more than 3, the window [0.7 s, 1.7 s) holds all 6.
    post_timeline t;
    t.record(t0);
    for (auto at : {700ms, 800ms, 900ms, 1100ms, 1200ms, 1300ms}) t.record(t0 + at);
    CHECK(t.per_second() == std::vector<std::uint32_t>{4, 3});
    CHECK(t.max_in_any_second() == 6);
}

TEST_CASE("a window is one second long, half open") {
    post_timeline t;
    t.record(t0);
    t.record(t0 + 1s);  // not in [t0, t0 + 1 s)
    CHECK(t.max_in_any_second() == 1);
    t.record(t0 + 1s + 999ms);
    CHECK(t.max_in_any_second() == 2);
}

TEST_CASE("a steady rate with a burst: the sliding maximum is burst plus rate") {
    // 10 at once, then one every 20 ms (50/s): any second holds at most 10 + 50.
    post_timeline t;
    for (int i = 0; i < 10; ++i) t.record(t0);
    for (int i = 1; i <= 1000; ++i) t.record(t0 + i * 20ms);
    CHECK(t.posts() == 1010);
    CHECK(t.max_in_any_second() == 59);  // t0 .. t0 + 980 ms: 10 + 49
    CHECK(t.per_second().front() == 59);
    CHECK(t.per_second()[1] == 50);
    CHECK(t.span() == 20s);
}

TEST_CASE("an arrival before the last one counts at the last one's time") {
    post_timeline t;
    t.record(t0 + 2s);
    t.record(t0 + 3s);
    t.record(t0 + 1s);
    CHECK(t.per_second() == std::vector<std::uint32_t>{1, 2});
    CHECK(t.span() == 1s);
}
