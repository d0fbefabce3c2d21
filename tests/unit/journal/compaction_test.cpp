// Compaction at open: every key survives with its latest record, and a crash
// between any two steps leaves a journal that opens with every key.
#include "prospect/journal/journal_file.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <map>

using namespace prospect::journal;
using prospect::policy::outcome;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
constexpr std::string_view list_1 = "cf33282b-b171-4d23-ae02-848499d793e4";
const sys_seconds t0 = sys_days{year{2026} / 11 / 30} + hours{5};

struct simulated_crash {};

journal_file_params params_for(const std::string& path) {
    journal_file_params p;
    p.path = path;
    p.header = {"https://api.example.com", "single"};
    return p;
}

const std::string& url_of(int i) {
    static std::map<int, std::string> urls;
    return urls.try_emplace(i, "https://www.linkedin.com/in/r" + std::to_string(i)).first->second;
}

// Keys 0..n-1 rejected without the move flag, then sent again with it: odd
// keys added, even ones rejected again (another message). 2n entries, n live.
void write_superseded(const std::string& path, int n) {
    journal_file j(params_for(path));
    for (int i = 0; i < n; ++i)
        j.append({url_of(i), campaign, list_1, outcome::rejected, false, 400, 1, "already in another list", t0});
    j.commit();
    for (int i = 0; i < n; ++i) {
        if (i % 2)
            j.append({url_of(i), campaign, list_1, outcome::added, true, 201, 2, "", t0 + minutes{1}});
        else
            j.append({url_of(i), campaign, list_1, outcome::rejected, true, 400, 1, "list is archived", t0 + minutes{1}});
        j.flush();
    }
}

// Every key is there with its latest record.
void check_latest(const journal_index& idx, int n) {
    REQUIRE(idx.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        CAPTURE(i);
        auto r = idx.find(url_of(i), campaign, list_1);
        REQUIRE(r);
        CHECK(r->move);
        CHECK(r->recorded_at == t0 + minutes{1});
        CHECK(r->outcome == (i % 2 ? outcome::added : outcome::rejected));
        if (i % 2 == 0) CHECK(r->message == "list is archived");
    }
}

}  // namespace

TEST_CASE("a journal with as many superseded records as live keys is compacted at open, keeping every key") {
    prospect::test::temp_dir dir;
    const int n = 3000;
    write_superseded(dir / "j", n);
    auto before = fs::file_size(dir / "j");
    {
        journal_file j(params_for(dir / "j"));
        REQUIRE(j.compacted());
        CHECK(j.compacted()->entries_before == 2 * n);
        CHECK(j.compacted()->entries_after == n);
        CHECK(j.compacted()->bytes_before == before);
        CHECK(j.compacted()->bytes_after == fs::file_size(dir / "j"));
        CHECK(fs::file_size(dir / "j") < before * 6 / 10);
        check_latest(j.earlier(), n);
        j.append({url_of(n), campaign, list_1, outcome::added, false, 201, 1, "", t0});
    }
    CHECK_FALSE(fs::exists(compaction_temp_path(dir / "j")));
    auto loaded = load(dir / "j");
    CHECK(loaded.index.entries() == n + 1);
    CHECK(loaded.index.size() == n + 1);
    journal_file again(params_for(dir / "j"));
    CHECK_FALSE(again.compacted());  // nothing superseded any more
}

TEST_CASE("a journal with fewer superseded records than live keys is left as it is") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        for (int i = 0; i < 10; ++i) j.append({url_of(i), campaign, list_1, outcome::added, false, 201, 1, "", t0});
        j.append({url_of(0), campaign, list_1, outcome::added, true, 201, 1, "", t0});
    }
    auto bytes = prospect::test::read_file(dir / "j");
    journal_file j(params_for(dir / "j"));
    CHECK_FALSE(j.compacted());
    CHECK(j.earlier().size() == 10);
    CHECK(prospect::test::read_file(dir / "j") == bytes);
}

TEST_CASE("a crash at any step of a compaction leaves a journal that opens with every key") {
    for (auto crash_at : {compaction_step::temp_written, compaction_step::temp_synced, compaction_step::renamed}) {
        CAPTURE(static_cast<int>(crash_at));
        prospect::test::temp_dir dir;
        const int n = 500;
        write_superseded(dir / "j", n);
        auto p = params_for(dir / "j");
        p.on_compaction_step = [crash_at](compaction_step s) {
            if (s == crash_at) throw simulated_crash{};
        };
        CHECK_THROWS_AS(journal_file{p}, simulated_crash);
        // What the crash left: the old journal (and a temp copy) or the new one.
        check_latest(load(dir / "j").index, n);
        CHECK(fs::exists(compaction_temp_path(dir / "j")) == (crash_at != compaction_step::renamed));

        journal_file j(params_for(dir / "j"));
        check_latest(j.earlier(), n);
        CHECK(j.compacted().has_value() == (crash_at != compaction_step::renamed));
        CHECK_FALSE(fs::exists(compaction_temp_path(dir / "j")));
    }
}

TEST_CASE("a half-written temp copy from a killed compaction is removed, not read") {
    prospect::test::temp_dir dir;
    write_superseded(dir / "j", 50);
    prospect::test::write_file(compaction_temp_path(dir / "j"), "PJRN\x10\x00");
    journal_file j(params_for(dir / "j"));
    check_latest(j.earlier(), 50);
    CHECK_FALSE(fs::exists(compaction_temp_path(dir / "j")));
}

TEST_CASE("a torn tail is left out of the compacted journal") {
    prospect::test::temp_dir dir;
    write_superseded(dir / "j", 40);
    auto bytes = prospect::test::read_file(dir / "j");
    prospect::test::write_file(dir / "j", bytes + std::string("PJRN\x07\x00", 6));
    journal_file j(params_for(dir / "j"));
    REQUIRE(j.compacted());
    CHECK(j.torn_bytes_dropped() == 6);
    check_latest(j.earlier(), 40);
    CHECK(load(dir / "j").torn_bytes == 0);
}
