#include "prospect/policy/batcher.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace prospect::policy;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string campaign_a = "aaaaaaaa-0000-0000-0000-000000000000";
const std::string campaign_b = "bbbbbbbb-0000-0000-0000-000000000000";
const std::string list_1 = "11111111-0000-0000-0000-000000000000";
const std::string list_2 = "22222222-0000-0000-0000-000000000000";

const batch_key_view key_a{campaign_a, list_1, false};
const batch_key_view key_b{campaign_a, list_2, false};

const clock_type::time_point t0{};

batcher_params params(std::size_t size, clock_type::duration wait = 200ms, std::size_t held_batches = 4) {
    return {size, wait, held_batches};
}

std::vector<std::vector<int>> drain_ready(batcher<int>& b, clock_type::time_point now) {
    std::vector<std::vector<int>> out;
    while (auto ready = b.take_ready(now)) out.push_back(ready->items);
    return out;
}

std::vector<std::vector<int>> flush(batcher<int>& b) {
    std::vector<std::vector<int>> out;
    while (auto any = b.take_any()) out.push_back(any->items);
    return out;
}

}  // namespace

TEST_CASE("rows are grouped by campaign, list and move flag") {
    batcher<int> b(params(10));
    b.add({campaign_a, list_1, false}, 1, t0);
    b.add({campaign_b, list_1, false}, 2, t0);
    b.add({campaign_a, list_2, false}, 3, t0);
    b.add({campaign_a, list_1, true}, 4, t0);
    b.add({campaign_a, list_1, false}, 5, t0);
    b.add({campaign_a, list_1, true}, 6, t0);
    CHECK(b.held() == 6);
    std::vector<batch<int>> out;
    while (auto any = b.take_any()) out.push_back(std::move(*any));
    REQUIRE(out.size() == 4);
    CHECK(out[0].items == std::vector<int>{1, 5});
    CHECK(out[0].key.campaign_id == campaign_a);
    CHECK(out[0].key.list_id == list_1);
    CHECK_FALSE(out[0].key.move);
    CHECK(out[1].items == std::vector<int>{2});
    CHECK(out[1].key.campaign_id == campaign_b);
    CHECK(out[2].items == std::vector<int>{3});
    CHECK(out[2].key.list_id == list_2);
    CHECK(out[3].items == std::vector<int>{4, 6});
    CHECK(out[3].key.move);
    CHECK(b.empty());
    CHECK(b.held() == 0);
}

TEST_CASE("a full batch leaves at once, and the key's next rows open another") {
    batcher<int> b(params(2));
    for (int i = 1; i <= 5; ++i) b.add(key_a, i, t0);
    CHECK(drain_ready(b, t0) == std::vector<std::vector<int>>{{1, 2}, {3, 4}});
    CHECK(b.held() == 1);
    CHECK(flush(b) == std::vector<std::vector<int>>{{5}});
}

TEST_CASE("batches leave in the order of their first row: a full batch waits behind an older one") {
    batcher<int> b(params(2));
    b.add(key_a, 1, t0);
    b.add(key_b, 2, t0 + 10ms);
    b.add(key_b, 3, t0 + 20ms);
    CHECK(drain_ready(b, t0 + 20ms).empty());
    CHECK(b.next_deadline() == t0 + 200ms);
    CHECK(drain_ready(b, t0 + 200ms) == std::vector<std::vector<int>>{{1}, {2, 3}});
    CHECK(b.empty());
}

TEST_CASE("a batch waits at most max_wait from its first row, however rows keep coming") {
    batcher<int> b(params(100, 200ms));
    CHECK_FALSE(b.next_deadline().has_value());
    b.add(key_a, 1, t0);
    CHECK(b.next_deadline() == t0 + 200ms);
    b.add(key_a, 2, t0 + 150ms);
    b.add(key_b, 3, t0 + 190ms);
    CHECK(b.next_deadline() == t0 + 200ms);
    CHECK(drain_ready(b, t0 + 199ms).empty());
    CHECK(drain_ready(b, t0 + 200ms) == std::vector<std::vector<int>>{{1, 2}});
    // The younger batch keeps its own deadline.
    CHECK(b.next_deadline() == t0 + 390ms);
    CHECK(drain_ready(b, t0 + 389ms).empty());
    CHECK(drain_ready(b, t0 + 390ms) == std::vector<std::vector<int>>{{3}});
    CHECK_FALSE(b.next_deadline().has_value());
}

TEST_CASE("a batch ready before its deadline says so through next_deadline") {
    batcher<int> b(params(2));
    b.add(key_a, 1, t0 + 5ms);
    b.add(key_a, 2, t0 + 6ms);
    REQUIRE(b.next_deadline().has_value());
    CHECK(*b.next_deadline() <= t0 + 6ms);
}

TEST_CASE("a zero wait lets a batch leave as soon as it is looked at") {
    batcher<int> b(params(100, 0ms));
    b.add(key_a, 1, t0);
    b.add(key_a, 2, t0);
    CHECK(drain_ready(b, t0) == std::vector<std::vector<int>>{{1, 2}});
}

TEST_CASE("the rows held stay under batch_size x held_batches whatever the mix of keys") {
    const std::size_t size = 10;
    batcher<int> b(params(size, 1h, 4));
    std::vector<int> released;
    std::size_t most_held = 0;
    int previous_first = -1;
    for (int i = 0; i < 5000; ++i) {
        // Many keys, some coming back: every row of a new list but one in
        // seven, which goes to a list that fills.
        std::string list = i % 7 == 0 ? list_1 : "list-" + std::to_string(i);
        b.add({campaign_a, list, false}, i, t0);
        while (auto ready = b.take_ready(t0)) {
            CHECK(ready->items.front() > previous_first);
            previous_first = ready->items.front();
            released.insert(released.end(), ready->items.begin(), ready->items.end());
        }
        most_held = std::max(most_held, b.held());
    }
    CHECK(most_held < size * 4);
    while (auto any = b.take_any()) released.insert(released.end(), any->items.begin(), any->items.end());
    CHECK(released.size() == 5000);
    CHECK(std::set<int>(released.begin(), released.end()).size() == 5000);
}

TEST_CASE("the bound lets the oldest batch go first, then the full ones behind it") {
    batcher<int> b(params(2, 1h, 2));
    b.add(key_a, 1, t0);
    b.add(key_b, 2, t0);
    b.add(key_b, 3, t0);  // full, but behind key_a's batch
    CHECK(drain_ready(b, t0).empty());
    b.add({campaign_b, list_1, false}, 4, t0);  // 4 rows held: the bound
    CHECK(drain_ready(b, t0) == std::vector<std::vector<int>>{{1}, {2, 3}});
    CHECK(b.held() == 1);
}

TEST_CASE("at the end of the input or on a stop every held row leaves, oldest batch first") {
    batcher<int> b(params(3));
    b.add(key_b, 1, t0);
    b.add(key_a, 2, t0 + 1ms);
    b.add(key_b, 3, t0 + 2ms);
    b.add(key_a, 4, t0 + 3ms);
    b.add(key_a, 5, t0 + 4ms);
    b.add(key_b, 6, t0 + 5ms);
    b.add(key_a, 7, t0 + 6ms);
    CHECK(flush(b) == std::vector<std::vector<int>>{{1, 3, 6}, {2, 4, 5}, {7}});
    CHECK(b.empty());
    CHECK_FALSE(b.take_any().has_value());
    // A key whose batch has left opens a new one.
    b.add(key_a, 8, t0 + 7ms);
    b.add(key_a, 9, t0 + 8ms);
    CHECK(flush(b) == std::vector<std::vector<int>>{{8, 9}});
}

TEST_CASE("items may be move-only") {
    batcher<std::unique_ptr<int>> b(params(2));
    b.add(key_a, std::make_unique<int>(1), t0);
    b.add(key_a, std::make_unique<int>(2), t0);
    auto ready = b.take_ready(t0);
    REQUIRE(ready.has_value());
    REQUIRE(ready->items.size() == 2);
    CHECK(*ready->items[1] == 2);
}

TEST_CASE("batch size from 1 to 1000") {
    CHECK_NOTHROW(batcher<int>(params(1)));
    CHECK_NOTHROW(batcher<int>(params(1000)));
    CHECK_THROWS_WITH_AS(batcher<int>(params(0)), "--batch-size must be from 1 to 1000, not 0", std::invalid_argument);
    CHECK_THROWS_AS(batcher<int>(params(1001)), std::invalid_argument);
    CHECK_THROWS_AS(batcher<int>(params(10, -1ms)), std::invalid_argument);
    CHECK_THROWS_AS(batcher<int>(params(10, 1ms, 0)), std::invalid_argument);
}

TEST_CASE("a batch of one leaves with each row") {
    batcher<int> b(params(1));
    b.add(key_a, 1, t0);
    b.add(key_a, 2, t0);
    CHECK(drain_ready(b, t0) == std::vector<std::vector<int>>{{1}, {2}});
}
