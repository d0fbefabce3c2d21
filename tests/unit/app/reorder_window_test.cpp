#include "prospect/app/reorder_window.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <random>
#include <string>
#include <vector>

using prospect::app::reorder_window;

namespace {
auto append_to(std::string& out) {
    return [&out](const std::string& s) { out += s; };
}
}  // namespace

TEST_CASE("rows come out in admission order whatever order they finish in") {
    reorder_window<std::string> w(8);
    auto a = w.admit(), b = w.admit(), c = w.admit();
    std::string out;
    w.finish(c, "c\n");
    CHECK(w.release(append_to(out)) == 0);
    w.finish(a, "a\n");
    CHECK(w.release(append_to(out)) == 1);
    CHECK(out == "a\n");
    w.finish(b, "b\n");
    CHECK(w.release(append_to(out)) == 2);
    CHECK(out == "a\nb\nc\n");
    CHECK(w.empty());
}

TEST_CASE("the window bounds read-ahead behind the oldest unfinished row") {
    reorder_window<std::string> w(3);
    auto first = w.admit();
    w.admit();
    w.admit();
    CHECK_FALSE(w.has_room());
    w.finish(first + 2, "x");
    std::string out;
    w.release(append_to(out));
    CHECK_FALSE(w.has_room());  // the head is still unfinished
    w.finish(first, "y");
    w.release(append_to(out));
    CHECK(w.has_room());
}

TEST_CASE("a shuffled finish order of 10000 rows releases every row once, in order") {
    reorder_window<std::string> w(10000);
    std::vector<std::uint64_t> seqs;
    for (int i = 0; i < 10000; ++i) seqs.push_back(w.admit());
    std::shuffle(seqs.begin(), seqs.end(), std::mt19937(7));
    std::string out;
    std::size_t released = 0;
    for (auto s : seqs) {
        w.finish(s, std::to_string(s) + "\n");
        released += w.release(append_to(out));
    }
    CHECK(released == 10000);
    std::string expected;
    for (int i = 0; i < 10000; ++i) expected += std::to_string(i) + "\n";
    CHECK(out == expected);
}
