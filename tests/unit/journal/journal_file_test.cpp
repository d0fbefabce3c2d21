#include "prospect/journal/journal_file.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <map>
#include <unistd.h>

using namespace prospect::journal;
using prospect::policy::outcome;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
constexpr std::string_view list_1 = "cf33282b-b171-4d23-ae02-848499d793e4";
const sys_seconds t0 = sys_days{year{2026} / 11 / 30} + hours{5} + minutes{12};

journal_file_params params_for(const std::string& path, int* syncs = nullptr) {
    journal_file_params p;
    p.path = path;
    p.header = {"https://api.example.com", "single"};
    if (syncs)
        p.sync = [syncs](int fd) {
            ++*syncs;
            REQUIRE(::fdatasync(fd) == 0);
        };
    return p;
}

const std::string& url_of(int i) {
    static std::map<int, std::string> urls;
    return urls.try_emplace(i, "https://www.linkedin.com/in/r" + std::to_string(i)).first->second;
}

journal_entry added(int i) { return {url_of(i), campaign, list_1, outcome::added, false, 201, 1, "", t0}; }

bool holds(const loaded_journal& j, int i) { return j.index.find(url_of(i), campaign, list_1).has_value(); }

std::string mismatch_message(const journal_file_params& p) {
    try {
        journal_file j(p);
    } catch (const journal_mismatch& e) {
        return e.what();
    }
    FAIL("no journal_mismatch");
    return {};
}

}  // namespace

TEST_CASE("group commit: N appends, then one write and one sync") {
    prospect::test::temp_dir dir;
    int syncs = 0;
    journal_file j(params_for(dir / "j", &syncs));
    CHECK(syncs == 1);  // the header, before any row
    CHECK(j.earlier().empty());
    for (int i = 2; i < 52; ++i) j.append(added(i));
    CHECK(j.pending() == 50);
    CHECK(syncs == 1);
    auto before = fs::file_size(dir / "j");
    j.commit();
    CHECK(syncs == 2);
    CHECK(j.syncs() == 2);
    CHECK(j.pending() == 0);
    CHECK(j.committed_rows() == 50);
    CHECK(fs::file_size(dir / "j") > before);
    j.commit();  // nothing pending: no sync
    CHECK(syncs == 2);
    CHECK(load(dir / "j").index.size() == 50);
}

TEST_CASE("uncommitted rows are not in the file, committed ones are, in full") {
    prospect::test::temp_dir dir;
    journal_file j(params_for(dir / "j"));
    journal_entry rejected{url_of(3), campaign, list_1, outcome::rejected, true, 400, 2, "already in another list", t0};
    j.append(added(2));
    j.append(rejected);
    j.commit();
    j.append(added(4));
    auto p = load(dir / "j");
    CHECK(p.index.size() == 2);
    auto r = p.index.find(url_of(3), campaign, list_1);
    REQUIRE(r);
    CHECK(r->outcome == outcome::rejected);
    CHECK(r->move);
    CHECK(r->http_status == 400);
    CHECK(r->attempts == 2);
    CHECK(r->message == "already in another list");
    CHECK(r->recorded_at == t0);
    CHECK_FALSE(holds(p, 4));
}

TEST_CASE("only added and rejected keys are journaled") {
    prospect::test::temp_dir dir;
    journal_file j(params_for(dir / "j"));
    for (auto o : {outcome::failed, outcome::not_sent, outcome::invalid, outcome::duplicate}) {
        auto e = added(2);
        e.outcome = o;
        CHECK_THROWS_AS(j.append(e), std::invalid_argument);
    }
    CHECK(j.pending() == 0);
    j.append(added(3));
    j.commit();
    CHECK(load(dir / "j").index.size() == 1);
}

TEST_CASE("re-opening for the same API resumes by key and appends") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
        j.append(added(5));
        j.commit();
    }
    {
        journal_file j(params_for(dir / "j"));
        CHECK(j.earlier().size() == 2);
        CHECK(j.earlier().find(url_of(5), campaign, list_1));
        CHECK(j.torn_bytes_dropped() == 0);
        CHECK_FALSE(j.compacted());
        j.append(added(3));
        j.commit();
    }
    journal_file j(params_for(dir / "j"));
    CHECK(j.earlier().size() == 3);
}

TEST_CASE("the destructor commits what was appended") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    CHECK(load(dir / "j").index.size() == 1);
}

TEST_CASE("a torn tail on disk is dropped on open and overwritten by the next commit") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
        j.commit();
    }
    auto good = prospect::test::read_file(dir / "j");
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(3));
        j.append(added(4));
        j.commit();
    }
    auto full = prospect::test::read_file(dir / "j");
    prospect::test::write_file(dir / "j", full.substr(0, full.size() - 3));  // crash mid-write
    {
        journal_file j(params_for(dir / "j"));
        CHECK(j.earlier().size() == 1);
        CHECK(j.torn_bytes_dropped() == full.size() - 3 - good.size());
        CHECK(fs::file_size(dir / "j") == good.size());
        j.append(added(6));
        j.commit();
    }
    auto p = load(dir / "j");
    CHECK(p.torn_bytes == 0);
    CHECK(p.index.size() == 2);
    CHECK(holds(p, 6));
}

TEST_CASE("another base URL or endpoint is refused, naming the old and the new value of each") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    auto p = params_for(dir / "j");
    p.header.base_url = "https://staging.example.com";
    CHECK(mismatch_message(p) == "journal " + (dir / "j") +
                                     " was written for base URL https://api.example.com (endpoint single); this run "
                                     "uses base URL https://staging.example.com (endpoint single): use another "
                                     "--journal, or --restart to forget it");
    p = params_for(dir / "j");
    p.header.endpoint = "bulk";
    auto msg = mismatch_message(p);
    CHECK(msg.find("(endpoint single); this run uses base URL https://api.example.com (endpoint bulk)") !=
          std::string::npos);
    CHECK(load(dir / "j").index.size() == 1);  // left untouched
}

TEST_CASE("--restart forgets the journal, whatever it was bound to") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    auto p = params_for(dir / "j");
    p.header.base_url = "https://staging.example.com";
    p.restart = true;
    {
        journal_file j(p);
        CHECK(j.earlier().empty());
    }
    auto loaded = load(dir / "j");
    CHECK(loaded.index.empty());
    CHECK(loaded.header->base_url == "https://staging.example.com");
}

TEST_CASE("a journal without entries is started afresh whatever its header") {
    prospect::test::temp_dir dir;
    { journal_file j(params_for(dir / "j")); }
    auto p = params_for(dir / "j");
    p.header.endpoint = "bulk";
    journal_file j(p);
    CHECK(j.earlier().empty());
    CHECK(load(dir / "j").header->endpoint == "bulk");
}

TEST_CASE("a file that is not a journal is never overwritten, not even with --restart") {
    prospect::test::temp_dir dir;
    prospect::test::write_file(dir / "leads.csv", "url\nhttps://www.linkedin.com/in/x\n");
    auto p = params_for(dir / "leads.csv");
    CHECK_THROWS_AS(journal_file{p}, journal_error);
    p.restart = true;
    CHECK_THROWS_AS(journal_file{p}, journal_error);
    CHECK(prospect::test::read_file(dir / "leads.csv") == "url\nhttps://www.linkedin.com/in/x\n");
}

TEST_CASE("a journal corrupt in the middle is refused on open, and --restart starts it afresh") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
        j.commit();
        j.append(added(3));
        j.commit();
    }
    auto bytes = prospect::test::read_file(dir / "j");
    std::string header;
    append_header_frame(header, params_for("").header);
    bytes[header.size() + frame_header_size + 3] ^= 0x10;
    prospect::test::write_file(dir / "j", bytes);
    CHECK_THROWS_WITH_AS(journal_file{params_for(dir / "j")}, doctest::Contains("is corrupt at byte"), journal_error);
    auto p = params_for(dir / "j");
    p.restart = true;
    journal_file j(p);
    CHECK(j.earlier().empty());
}

TEST_CASE("a journal of the format bound to one input file asks for --restart") {
    prospect::test::temp_dir dir;
    std::string bytes;
    append_header_frame(bytes, params_for("").header);
    bytes[frame_header_size + 17] = 1;  // the version field
    seal_frame(bytes, 0);
    prospect::test::write_file(dir / "j", bytes);
    CHECK_THROWS_WITH_AS(journal_file{params_for(dir / "j")}, doctest::Contains("older prospect-import"),
                         journal_error);
}

TEST_CASE("an unopenable journal path is named") {
    CHECK_THROWS_WITH_AS(journal_file{params_for("/nonexistent/dir/j")}, doctest::Contains("/nonexistent/dir/j"),
                         std::system_error);
}

TEST_CASE("flush writes rows without syncing, commit syncs them once") {
    prospect::test::temp_dir dir;
    int syncs = 0;
    journal_file j(params_for(dir / "j", &syncs));
    CHECK(syncs == 1);
    for (int i = 2; i < 5; ++i) {
        j.append(added(i));
        j.flush();
    }
    CHECK(syncs == 1);                          // written, not synced
    CHECK(j.pending() == 3);                    // a power loss could still forget them
    CHECK(load(dir / "j").index.size() == 3);  // but a killed process would not
    j.commit();
    CHECK(syncs == 2);
    CHECK(j.pending() == 0);
    CHECK(j.committed_rows() == 3);
}
