#include "prospect/sandbox/faults.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace prospect::sandbox;

namespace {
std::vector<int> sequence(fault_params p, int n) {
    fault_injector f(p);
    std::vector<int> out;
    for (int i = 0; i < n; ++i) {
        auto x = f.next_fault();
        out.push_back(x.kind == fault_kind::drop ? -1 : x.status);
        CHECK((x.kind == fault_kind::throttle) == (x.status == 429));
    }
    return out;
}
}  // namespace

TEST_CASE("the same seed gives the same faults, another seed others") {
    fault_params p{.fail_rate = 0.3, .drop_rate = 0.2, .seed = 42};
    auto a = sequence(p, 200);
    CHECK(a == sequence(p, 200));
    p.seed = 43;
    CHECK(a != sequence(p, 200));
}

TEST_CASE("fault shares come out near the rates, with every 5xx status") {
    fault_params p{.fail_rate = 0.3, .drop_rate = 0.1, .seed = 7};
    auto s = sequence(p, 10000);
    int drops = 0, fails = 0, s500 = 0, s502 = 0, s503 = 0;
    for (int x : s) {
        drops += x == -1;
        fails += x > 0;
        s500 += x == 500;
        s502 += x == 502;
        s503 += x == 503;
    }
    CHECK(drops > 800);
    CHECK(drops < 1200);
    CHECK(fails > 2700);
    CHECK(fails < 3300);
    CHECK(s500 > 0);
    CHECK(s502 > 0);
    CHECK(s503 > 0);
}

TEST_CASE("no rates, no faults, rates of 1, always") {
    for (int x : sequence({}, 1000)) CHECK(x == 0);
    for (int x : sequence({.drop_rate = 1}, 100)) CHECK(x == -1);
    for (int x : sequence({.fail_rate = 1}, 100)) CHECK(x >= 500);
    for (int x : sequence({.throttle_rate = 1}, 100)) CHECK(x == 429);
}

TEST_CASE("throttling comes out near its share, and leaves a seed's drops and 5xx where they were") {
    fault_params p{.fail_rate = 0.2, .drop_rate = 0.1, .seed = 11};
    auto without = sequence(p, 10000);
    p.throttle_rate = 0.05;
    auto with = sequence(p, 10000);
    int throttled = 0;
    for (std::size_t i = 0; i < with.size(); ++i) {
        throttled += with[i] == 429;
        if (with[i] != 429) CHECK(with[i] == without[i]);
        else CHECK(without[i] == 0);
    }
    CHECK(throttled > 400);
    CHECK(throttled < 600);
    CHECK(with == sequence(p, 10000));
}

TEST_CASE("latency stays in its range, and is fixed when min equals max") {
    fault_injector fixed({.latency_min_ms = 25, .latency_max_ms = 25});
    for (int i = 0; i < 100; ++i) CHECK(fixed.next_latency().count() == 25);
    fault_injector ranged({.latency_min_ms = 10, .latency_max_ms = 20});
    bool saw_min = false, saw_max = false;
    for (int i = 0; i < 1000; ++i) {
        auto ms = ranged.next_latency().count();
        CHECK(ms >= 10);
        CHECK(ms <= 20);
        saw_min |= ms == 10;
        saw_max |= ms == 20;
    }
    CHECK(saw_min);
    CHECK(saw_max);
}

TEST_CASE("drawing latencies does not shift the fault sequence") {
    fault_params p{.fail_rate = 0.5, .latency_min_ms = 0, .latency_max_ms = 100, .seed = 3};
    fault_injector a(p), b(p);
    for (int i = 0; i < 50; ++i) {
        a.next_latency();
        a.next_latency();
        CHECK(a.next_fault().status == b.next_fault().status);
    }
}
