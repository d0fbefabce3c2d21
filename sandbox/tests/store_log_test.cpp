#include "prospect/sandbox/store_log.hpp"
#include "support/files.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;
using prospect::test::read_file;
using prospect::test::temp_dir;
using prospect::test::write_file;

namespace {
const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list_a = "cf33282b-b171-4d23-ae02-848499d793e4";
const std::string list_b = "0f33282b-b171-4d23-ae02-848499d793e4";
const std::string jane = "https://www.linkedin.com/in/jane";
const std::string john = "https://www.linkedin.com/in/j%C3%B6hn";

// What a sandbox holds after the given POSTs, logged to `path`.
store logged(const std::string& path, const std::vector<std::pair<std::size_t, add_prospect_body>>& posts) {
    store s(2);
    store_log log(path, s, 2);
    for (const auto& [key, body] : posts) {
        log.append(key, body);
        s.add(key, body);
    }
    return s;
}

bool same(const store& a, const store& b) {
    if (a.prospects().size() != b.prospects().size()) return false;
    for (std::size_t i = 0; i < a.prospects().size(); ++i) {
        auto &x = a.prospects()[i], &y = b.prospects()[i];
        if (x.key != y.key || x.profile_url != y.profile_url || x.campaign_id != y.campaign_id ||
            x.prospect_list_id != y.prospect_list_id || x.posts != y.posts)
            return false;
    }
    return true;
}
}  // namespace

TEST_CASE("a restarted sandbox gets back its prospects, posts counts, moves and keys") {
    temp_dir dir;
    auto path = dir / "store.log";
    auto before = logged(path, {{0, {jane, campaign, list_a, false}},
                                {0, {jane, campaign, list_a, false}},
                                {0, {jane, campaign, list_b, false}},  // duplicate: counted, not moved
                                {1, {jane, campaign, list_b, false}},  // another key, another store
                                {0, {john, campaign, list_a, false}},
                                {0, {john, campaign, list_b, true}}});
    store after(2);
    store_log reopened(path, after, 2);
    CHECK(same(before, after));
    REQUIRE(after.prospects().size() == 3);
    CHECK(after.prospects()[0].posts == 3);
    CHECK(after.prospects()[0].prospect_list_id == list_a);
    CHECK(after.prospects()[2].prospect_list_id == list_b);

    // Appending goes on after the replayed lines.
    reopened.append(0, {jane, campaign, list_a, false});
    store third(2);
    store_log again(path, third, 2);
    CHECK(third.prospects()[0].posts == 4);
}

TEST_CASE("lines staged for one bulk request are written by one flush, and replayed one by one") {
    temp_dir dir;
    auto path = dir / "store.log";
    {
        store s(2);
        store_log log(path, s, 2);
        log.stage(0, {jane, campaign, list_a, false});
        log.stage(0, {john, campaign, list_a, false});
        CHECK(read_file(path).empty());
        log.flush();
        log.stage(0, {jane, campaign, list_b, true});
        log.flush();
        log.flush();  // nothing staged: nothing written
    }
    CHECK(read_file(path) == "0 0 " + jane + " " + campaign + " " + list_a + "\n0 0 " + john + " " + campaign + " " +
                                 list_a + "\n0 1 " + jane + " " + campaign + " " + list_b + "\n");
    store s(2);
    store_log log(path, s, 2);
    REQUIRE(s.prospects().size() == 2);
    CHECK(s.prospects()[0].prospect_list_id == list_b);
    CHECK(s.prospects()[0].posts == 2);
}

TEST_CASE("a torn last line is cut off, and what follows is appended whole") {
    temp_dir dir;
    auto path = dir / "store.log";
    logged(path, {{0, {jane, campaign, list_a, false}}});
    write_file(path, read_file(path) + "0 0 https://www.linkedin.com/in/jo");
    {
        store s(2);
        store_log log(path, s, 2);
        CHECK(s.prospects().size() == 1);
        log.append(0, {john, campaign, list_a, false});
    }
    store s(2);
    store_log log(path, s, 2);
    REQUIRE(s.prospects().size() == 2);
    CHECK(s.prospects()[1].profile_url == john);
}

TEST_CASE("a file that is not a store log is refused, naming the file and the line") {
    temp_dir dir;
    auto path = dir / "store.log";
    write_file(path, "0 0 " + jane + " " + campaign + " " + list_a + "\nnot a record at all\n");
    store s(1);
    CHECK_THROWS_WITH(store_log(path, s, 1), doctest::Contains(("--store " + path + ": line 2 is not a store record").c_str()));
}

TEST_CASE("a line of an API key that is no longer given is refused") {
    temp_dir dir;
    auto path = dir / "store.log";
    write_file(path, "1 0 " + jane + " " + campaign + " " + list_a + "\n");
    store s(1);
    CHECK_THROWS_WITH(store_log(path, s, 1), doctest::Contains("line 1 belongs to API key #2, but only 1 --api-key given"));
}

TEST_CASE("an unwritable path is refused, naming it") {
    store s(1);
    CHECK_THROWS_WITH(store_log("/nonexistent-dir/store.log", s, 1), doctest::Contains("--store /nonexistent-dir/store.log: "));
}
