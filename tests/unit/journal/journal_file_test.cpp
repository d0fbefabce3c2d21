#include "prospect/journal/journal_file.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <unistd.h>

using namespace prospect::journal;
using prospect::policy::outcome;
namespace fs = std::filesystem;

namespace {

digest filled(unsigned char c) {
    digest d;
    d.fill(c);
    return d;
}

journal_file_params params_for(const std::string& path, int* syncs = nullptr) {
    journal_file_params p;
    p.path = path;
    p.input_name = "leads.csv";
    p.header.input = filled(1);
    p.header.settings = filled(2);
    if (syncs)
        p.sync = [syncs](int fd) {
            ++*syncs;
            REQUIRE(::fdatasync(fd) == 0);
        };
    return p;
}

journal_entry added(std::uint64_t row) {
    return {row, outcome::added, 201, 1, "", "https://www.linkedin.com/in/r" + std::to_string(row)};
}

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
    for (std::uint64_t row = 2; row < 52; ++row) j.append(added(row));
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
    CHECK(load(dir / "j").entries.size() == 50);
}

TEST_CASE("uncommitted rows are not in the file, committed ones are, in full") {
    prospect::test::temp_dir dir;
    int syncs = 0;
    journal_file j(params_for(dir / "j", &syncs));
    journal_entry rejected{3, outcome::rejected, 422, 2, "prospectListId: not found", "https://www.linkedin.com/in/x"};
    j.append(added(2));
    j.append(rejected);
    j.commit();
    j.append(added(4));
    auto p = load(dir / "j");
    CHECK(p.entries.size() == 2);
    REQUIRE(p.entries.find(3));
    CHECK(*p.entries.find(3) == rejected);
    CHECK(p.entries.find(4) == nullptr);
}

TEST_CASE("appending a non-final outcome is refused") {
    prospect::test::temp_dir dir;
    journal_file j(params_for(dir / "j"));
    auto e = added(2);
    e.outcome = outcome::failed;
    CHECK_THROWS_AS(j.append(e), std::invalid_argument);
    CHECK(j.pending() == 0);
    j.append(added(3));
    j.commit();
    CHECK(load(dir / "j").entries.size() == 1);
}

TEST_CASE("re-opening with the same input and settings resumes and appends") {
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
        CHECK(j.earlier().find(5));
        CHECK(j.torn_bytes_dropped() == 0);
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
    CHECK(load(dir / "j").entries.size() == 1);
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
    CHECK(p.entries.size() == 2);
    CHECK(p.entries.find(6));
}

TEST_CASE("a changed input is detected before anything is sent, with how to start afresh") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    auto p = params_for(dir / "j");
    p.header.input = filled(9);
    auto msg = mismatch_message(p);
    CHECK(msg.find("leads.csv is not the input journal " + (dir / "j")) != std::string::npos);
    CHECK(msg.find("--restart") != std::string::npos);
    CHECK(load(dir / "j").entries.size() == 1);  // left untouched
}

TEST_CASE("changed settings are detected") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    auto p = params_for(dir / "j");
    p.header.settings = filled(7);
    auto msg = mismatch_message(p);
    CHECK(msg.find("other settings") != std::string::npos);
    CHECK(msg.find("--restart") != std::string::npos);
}

TEST_CASE("standard input cannot resume, either way round") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    auto from_stdin = params_for(dir / "j");
    from_stdin.header.input.reset();
    from_stdin.input_name = "-";
    CHECK(mismatch_message(from_stdin).find("cannot resume journal") != std::string::npos);

    from_stdin.restart = true;
    {
        journal_file j(from_stdin);
        j.append(added(2));
    }
    CHECK(mismatch_message(params_for(dir / "j")).find("written while reading standard input") != std::string::npos);
}

TEST_CASE("--restart discards the journal") {
    prospect::test::temp_dir dir;
    {
        journal_file j(params_for(dir / "j"));
        j.append(added(2));
    }
    auto p = params_for(dir / "j");
    p.header.input = filled(9);
    p.restart = true;
    {
        journal_file j(p);
        CHECK(j.earlier().empty());
    }
    auto loaded = load(dir / "j");
    CHECK(loaded.entries.empty());
    CHECK(*loaded.header->input == filled(9));
}

TEST_CASE("a journal without entries is started afresh whatever its header") {
    prospect::test::temp_dir dir;
    { journal_file j(params_for(dir / "j")); }
    auto p = params_for(dir / "j");
    p.header.settings = filled(8);
    journal_file j(p);
    CHECK(j.earlier().empty());
    CHECK(load(dir / "j").header->settings == filled(8));
}

TEST_CASE("a file that is not a journal is never overwritten, not even with --restart") {
    prospect::test::temp_dir dir;
    prospect::test::write_file(dir / "leads.csv", "url\nhttps://www.linkedin.com/in/x\n");
    auto p = params_for(dir / "leads.csv");
    p.restart = true;
    CHECK_THROWS_AS(journal_file{p}, journal_error);
    CHECK(prospect::test::read_file(dir / "leads.csv") == "url\nhttps://www.linkedin.com/in/x\n");
}

TEST_CASE("a journal corrupt in the middle is refused on open") {
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
    for (std::uint64_t row = 2; row < 5; ++row) {
        j.append(added(row));
        j.flush();
    }
    CHECK(syncs == 1);          // written, not synced
    CHECK(j.pending() == 3);    // a power loss could still forget them
    CHECK(load(dir / "j").entries.size() == 3);  // but a killed process would not
    j.commit();
    CHECK(syncs == 2);
    CHECK(j.pending() == 0);
    CHECK(j.committed_rows() == 3);
}
