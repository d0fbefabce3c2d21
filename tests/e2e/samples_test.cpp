// The inbox sample (samples/cron/import-inbox) run as cron or the systemd
// service runs it, pointed at the build's importer and a real sandbox through
// its environment: which files end in done/ or failed/, what the sandbox
// received, and the pass's exit status.
#include "import_support.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace prospect::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

struct inbox_job {
    temp_dir dir;
    std::string inbox = dir / "inbox";
    std::string state = dir / "state";

    inbox_job() { fs::create_directories(inbox); }

    run_result pass(const sandbox_process& sandbox) const {
        auto options = with_key();
        options.env.insert(options.env.end(),
                           {"PROSPECT_INBOX=" + inbox, "PROSPECT_STATE_DIR=" + state,
                            "PROSPECT_CAMPAIGN=" + std::string(campaign_1), "PROSPECT_LIST=" + std::string(list_1),
                            std::string("PROSPECT_IMPORT_BIN=") + PROSPECT_IMPORT_BIN,
                            "PROSPECT_IMPORT_OPTIONS=--base-url " + sandbox.url + " --ca-file " + sandbox.ca_file +
                                " --rate 2000"});
        return run({source_path("samples/cron/import-inbox"), "--quiet"}, options);
    }
    std::string journal() const {
        return state + "/" + std::string(campaign_1) + "-" + std::string(list_1) + ".journal";
    }
};

std::size_t count_outcome(const std::vector<report_row>& rows, const std::string& outcome) {
    std::size_t n = 0;
    for (const auto& r : rows) n += r.outcome == outcome;
    return n;
}

}  // namespace

TEST_CASE("three exports in the inbox: one journal, a re-export sends only its new rows, all moved to done/") {
    sandbox_process sandbox;
    inbox_job job;
    write_file(job.inbox + "/2024-06-01.csv", lead_rows(10));
    // The same sheet exported again the next day, with five rows added.
    write_file(job.inbox + "/2024-06-02.csv", lead_rows(15));
    write_file(job.inbox + "/2024-06-03.csv",
               lead_rows(5, 15) + "https://www.linkedin.com/sales/lead/ACwAAA1234\n");

    auto r = job.pass(sandbox);
    INFO(r.out);
    INFO(r.err);
    CHECK(r.status == 1);  // the Sales Navigator row needs a person
    for (const char* name : {"2024-06-01.csv", "2024-06-02.csv", "2024-06-03.csv"}) {
        CAPTURE(name);
        CHECK_FALSE(fs::exists(job.inbox + "/" + name));
        CHECK(fs::exists(job.inbox + "/done/" + name));
        CHECK(fs::exists(job.inbox + "/done/" + name + ".report.csv"));
    }
    CHECK(fs::exists(job.journal()));
    CHECK_FALSE(fs::exists(job.inbox + "/failed"));

    auto second = read_report(job.inbox + "/done/2024-06-02.csv.report.csv");
    REQUIRE(second.size() == 15);
    CHECK(count_outcome(second, "added") == 15);
    auto third = read_report(job.inbox + "/done/2024-06-03.csv.report.csv");
    REQUIRE(third.size() == 6);
    CHECK(count_outcome(third, "added") == 5);
    CHECK(third.back().outcome == "invalid");

    // Every lead stored once, each posted once: the re-export sent only its
    // five new rows.
    auto after = stored(sandbox);
    CHECK(after.size() == 20);
    // Not a structured binding: clang 14 cannot capture one (CAPTURE is a lambda).
    for (const auto& stored_url : after) {
        CAPTURE(stored_url.first);
        CHECK(stored_url.second.posts == 1);
    }
    CHECK(stats(sandbox).requests == 20);

    // The next pass finds an empty inbox.
    auto idle = job.pass(sandbox);
    CHECK(idle.status == 0);
    CHECK(contains(idle.out, "nothing to import"));
}

TEST_CASE("a file that needs a person goes to failed/, the others are still imported, the pass exits with the worst") {
    sandbox_process sandbox;
    inbox_job job;
    write_file(job.inbox + "/a-no-url-column.csv", "name,company\nJane,Acme\n");
    write_file(job.inbox + "/b-good.csv", lead_rows(3));
    // A file of the same name already done: it is kept, the new one numbered.
    fs::create_directories(job.inbox + "/done");
    write_file(job.inbox + "/done/b-good.csv", "url\n");

    auto r = job.pass(sandbox);
    INFO(r.out);
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(fs::exists(job.inbox + "/failed/a-no-url-column.csv"));
    CHECK(contains(r.err, "a-no-url-column.csv"));
    CHECK(read_file(job.inbox + "/done/b-good.csv") == "url\n");
    CHECK(read_file(job.inbox + "/done/b-good.1.csv") == lead_rows(3));
    CHECK(count_outcome(read_report(job.inbox + "/done/b-good.1.csv.report.csv"), "added") == 3);
    CHECK(stored(sandbox).size() == 3);
}

TEST_CASE("the inbox sample refuses to run without its inbox, campaign and list") {
    temp_dir dir;
    run_options options;
    options.unset = {"PROSPECT_INBOX", "PROSPECT_CAMPAIGN", "PROSPECT_LIST"};
    auto r = run({source_path("samples/cron/import-inbox")}, options);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "PROSPECT_INBOX"));

    options.env = {"PROSPECT_INBOX=" + dir.path().string(), "PROSPECT_CAMPAIGN=" + std::string(campaign_1),
                   "PROSPECT_LIST=not-a-uuid", "PROSPECT_STATE_DIR=" + (dir / "state")};
    r = run({source_path("samples/cron/import-inbox")}, options);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "PROSPECT_LIST 'not-a-uuid' is not a UUID"));
}
