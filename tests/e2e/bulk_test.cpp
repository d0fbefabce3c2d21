// --endpoint bulk end to end (docs/contract.md, "Bulk endpoint"): the real
// importer against a real prospect-sandbox serving the v2 add-users-to-list
// endpoint over TLS. Each row's outcome and message are checked against what
// the file and the sandbox's state make it, and the sandbox's store and
// request counts against what was sent; faults, echoes in another form, the
// plan's URL limit, kill -9 and a refused key on top.
#include "import_support.hpp"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <random>

using namespace prospect::test;

namespace {

constexpr std::string_view campaign_2 = "1d256aa6-9b12-49a7-93ee-bf41634b5b60";
constexpr std::string_view list_3 = "3a9e1b2c-4d5e-4f60-8a7b-9c0d1e2f3a40";
// The campaign the sandbox files --foreign-prospects URLs under (docs/sandbox.md).
constexpr std::string_view foreign_campaign = "f0e1f0e1-0000-4000-8000-000000000000";

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::size_t count_outcome(const std::vector<report_row>& rows, const std::string& outcome) {
    std::size_t n = 0;
    for (const auto& r : rows) n += r.outcome == outcome;
    return n;
}

void check_complete_and_ordered(const std::vector<report_row>& rows, std::size_t n) {
    REQUIRE(rows.size() == n);
    for (std::size_t i = 0; i < n; ++i) CHECK(rows[i].row == i + 2);
}

std::string profile(const std::string& slug) { return "https://www.linkedin.com/in/" + slug; }

struct place {
    std::string_view campaign, list;
};
const place places[] = {{campaign_1, list_1}, {campaign_1, list_2}, {campaign_2, list_3}};

// What a row of the mixed file is, hence what its outcome must be.
enum class kind {
    fresh,      // a URL nobody holds: added, stored where the row says
    same_list,  // already in this list (preloaded): added, "already in this list"
    moved,      // preloaded into list_1, sent to list_3 with the move flag: added, moved
    not_moved,  // preloaded into list_1, sent to list_2 without it: rejected, stays
    foreign,    // in another user's list: rejected whatever the flag, never stored
    invalid,    // not a member profile: never sent
    duplicate,  // repeats an earlier row of the file: never sent
};

struct planned_row {
    kind what = kind::fresh;
    std::string cell;  // the url cell as written
    std::string url;   // normalized; empty for an invalid row
    place where;
    bool move = false;
    std::size_t repeats = 0;  // a duplicate: the report row it repeats
};

// Preloaded into list_1 by a first import, before the mixed file.
constexpr std::size_t held = 30;
std::string held_slug(std::size_t i) { return fmt::format("held-{:03}", i); }

struct mixed_file {
    std::vector<planned_row> rows;  // in file order
    std::string csv;
    std::string foreign;  // the --foreign-prospects file
    std::string preload;  // held-000.. into the default list
};

// A file spanning three lists (two campaigns), both move flags, every kind
// of row, shuffled with a fixed seed so that batches of every key interleave.
mixed_file make_mixed_file() {
    mixed_file f;
    std::vector<planned_row> rows;
    for (std::size_t i = 0; i < 45; ++i) {
        auto slug = fmt::format("new-{:03}", i);
        // The forms people paste: each must be matched to the normalized echo.
        auto cell = i % 3 == 0 ? "linkedin.com/in/" + slug
                    : i % 3 == 1 ? "https://www.linkedin.com/in/" + slug + "/?trk=x"
                                 : "HTTP://LinkedIn.com/in/" + slug;
        rows.push_back({kind::fresh, cell, profile(slug), places[i % 3], i % 2 == 0});
    }
    for (std::size_t i = 0; i < held; ++i) {
        f.preload += "linkedin.com/in/" + held_slug(i) + "\n";
        auto cell = "linkedin.com/in/" + held_slug(i);
        if (i < 10) rows.push_back({kind::same_list, cell, profile(held_slug(i)), places[0], i % 2 == 0});
        else if (i < 20) rows.push_back({kind::moved, cell, profile(held_slug(i)), places[2], true});
        else rows.push_back({kind::not_moved, cell, profile(held_slug(i)), places[1], false});
    }
    for (std::size_t i = 0; i < 9; ++i) {
        auto slug = fmt::format("foreign-{:03}", i);
        f.foreign += "https://www.linkedin.com/in/" + slug + "/\n";
        rows.push_back({kind::foreign, "linkedin.com/in/" + slug, profile(slug), places[i % 3], i % 2 == 1});
    }
    for (std::size_t i = 0; i < 4; ++i)
        rows.push_back({kind::invalid, fmt::format("linkedin.com/company/acme-{}", i), "", places[i % 3], false});
    std::shuffle(rows.begin(), rows.end(), std::mt19937(2024));
    // Duplicates after their originals: the first few fresh rows again, in capitals.
    std::size_t dups = 0;
    for (std::size_t i = 0; i < rows.size() && dups < 5; ++i) {
        if (rows[i].what != kind::fresh) continue;
        auto d = rows[i];
        d.what = kind::duplicate;
        d.cell = d.url + "/";
        std::transform(d.cell.begin(), d.cell.end(), d.cell.begin(), [](unsigned char c) { return std::toupper(c); });
        d.repeats = i + 2;
        rows.push_back(d);
        ++dups;
    }
    f.csv = "url,campaignId,prospectListId,moveDuplicatedProspect\n";
    for (const auto& r : rows)
        f.csv += fmt::format("{},{},{},{}\n", r.cell, r.where.campaign, r.where.list, r.move ? "true" : "false");
    f.rows = std::move(rows);
    f.preload = "url\n" + f.preload;
    return f;
}

std::string not_moved_message(std::string_view campaign) {
    return fmt::format("already a prospect in campaign {}, not moved", campaign);
}

// Every row's outcome and message against its kind. With lost answers
// (drops) a batch is sent again and finds its own URLs already in the list.
void check_outcomes(const mixed_file& f, const std::vector<report_row>& report, bool answers_lost) {
    check_complete_and_ordered(report, f.rows.size());
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
        const auto& want = f.rows[i];
        const auto& got = report[i];
        CAPTURE(i);
        CAPTURE(want.cell);
        CAPTURE(got.message);
        if (want.what != kind::invalid) {
            CHECK(got.normalized_url == want.url);
            CHECK(got.campaign_id == want.where.campaign);
            CHECK(got.list_id == want.where.list);
        }
        switch (want.what) {
        case kind::fresh:
        case kind::moved:
            CHECK(got.outcome == "added");
            if (answers_lost) CHECK((got.message.empty() || got.message == "already in this list"));
            else CHECK(got.message.empty());
            break;
        case kind::same_list:
            CHECK(got.outcome == "added");
            CHECK(got.message == "already in this list");
            break;
        case kind::not_moved:
            CHECK(got.outcome == "rejected");
            CHECK(got.message == not_moved_message(campaign_1));
            break;
        case kind::foreign:
            CHECK(got.outcome == "rejected");
            CHECK(got.message == not_moved_message(foreign_campaign));
            break;
        case kind::invalid:
            CHECK(got.outcome == "invalid");
            CHECK(got.attempts == "0");
            break;
        case kind::duplicate:
            CHECK(got.outcome == "duplicate");
            CHECK(got.message == fmt::format("duplicate of row {}", want.repeats));
            CHECK(got.attempts == "0");
            break;
        }
        if (want.what != kind::invalid && want.what != kind::duplicate) {
            CHECK(got.http_status == "200");
            CHECK(std::stoi(got.attempts) >= 1);
        }
    }
}

// Where each URL ended in the sandbox, and how many posts each row's
// batches brought it: exactly one without lost answers, at most one an
// attempt with them.
void check_store(const mixed_file& f, const std::vector<report_row>& report,
                 const std::map<std::string, stored_prospect>& before,
                 const std::map<std::string, stored_prospect>& after, bool answers_lost) {
    std::size_t expected_size = held;
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
        const auto& want = f.rows[i];
        CAPTURE(want.url);
        if (want.what == kind::invalid || want.what == kind::duplicate) continue;
        auto it = after.find(want.url);
        if (want.what == kind::foreign) {
            CHECK(it == after.end());
            continue;
        }
        REQUIRE(it != after.end());
        const auto& p = it->second;
        const bool stays = want.what == kind::not_moved;
        CHECK(p.campaign == (stays ? campaign_1 : want.where.campaign));
        CHECK(p.list == (stays ? list_1 : want.where.list));
        auto b = before.find(want.url);
        const int posts_before = b == before.end() ? 0 : b->second.posts;
        expected_size += b == before.end();
        const int posts = p.posts - posts_before;
        if (answers_lost) {
            CHECK(posts >= 1);
            CHECK(posts <= std::stoi(report[i].attempts));
        } else {
            CHECK(posts == 1);
        }
    }
    CHECK(after.size() == expected_size);
}

struct variant {
    const char* name;
    std::vector<std::string> sandbox_args;
    bool answers_lost = false;
};

}  // namespace

TEST_CASE("three lists, foreign URLs, moves, same-list repeats, invalid and duplicate rows: every outcome right, "
          "with faults and with echoes in another form, and a re-run sends nothing") {
    const variant variants[] = {
        {"clean", {}, false},
        {"5xx, lost answers and stray 429s",
         {"--fail-rate", "0.15", "--drop-rate", "0.15", "--throttle-rate", "0.05", "--seed", "1"},
         true},
        {"echoes in another form", {"--echo-variant"}, false},
    };
    const auto f = make_mixed_file();
    for (const auto& v : variants) {
        CAPTURE(std::string(v.name));
        temp_dir dir;
        write_file(dir / "foreign.txt", f.foreign);
        auto args = v.sandbox_args;
        args.insert(args.end(), {"--foreign-prospects", dir / "foreign.txt"});
        sandbox_process sandbox(args);
        const std::vector<std::string> bulk = {"--endpoint", "bulk", "--batch-size", "7", "--max-retries", "10"};
        auto with = [&](std::vector<std::string> more) {
            more.insert(more.begin(), bulk.begin(), bulk.end());
            return more;
        };

        write_file(dir / "held.csv", f.preload);
        auto pre = import_into(sandbox, with({dir / "held.csv"}));
        INFO(pre.err);
        REQUIRE(pre.status == 0);
        const auto before = stored(sandbox);
        REQUIRE(before.size() == held);

        auto input = dir / "mixed.csv";
        write_file(input, f.csv);
        auto r = import_into(sandbox, with({input}));
        INFO(r.err);
        CHECK(r.status == 1);  // rejected, invalid and duplicate rows need a person
        auto report = read_report(input + ".report.csv");
        check_outcomes(f, report, v.answers_lost);
        check_store(f, report, before, stored(sandbox), v.answers_lost);
        auto s = stats(sandbox);
        if (v.answers_lost) {
            CHECK(s.dropped > 0);  // the faults did happen
            CHECK(s.by_status[500] + s.by_status[502] + s.by_status[503] > 0);
            CHECK(s.by_status[429] > 0);
        }

        // The same file and journal again: every row settled, nothing sent.
        auto again = import_into(sandbox, with({input}));
        INFO(again.err);
        CHECK(again.status == 1);
        CHECK(stats(sandbox).requests == s.requests);
        auto second = read_report(input + ".report.csv");
        REQUIRE(second.size() == report.size());
        for (std::size_t i = 0; i < report.size(); ++i) {
            CHECK(second[i].outcome == report[i].outcome);
            if (second[i].outcome == "rejected") CHECK(second[i].message == report[i].message);
        }
    }
}

TEST_CASE("the plan's URL limit reached mid-file: exit 75, the rest not_sent, no batch sent after it") {
    sandbox_process sandbox({"--url-limit", "95"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(300));
    // One connection: batches go one after the other, so the one that meets
    // the limit is the last the sandbox may see.
    auto r = import_into(sandbox, {"--endpoint", "bulk", "--batch-size", "10", "--connections", "1", input});
    INFO(r.err);
    CHECK(r.status == 75);
    CHECK(contains(r.err, "URL limit"));
    auto rows = read_report(input + ".report.csv");
    check_complete_and_ordered(rows, 300);
    const std::string limit = "the plan's URL limit is reached (95 URLs in all, 95 URLs a month)";
    for (std::size_t i = 0; i < 300; ++i) {
        CAPTURE(i);
        CAPTURE(rows[i].message);
        if (i < 95) {
            CHECK(rows[i].outcome == "added");
        } else if (i < 100) {  // in the batch the limit cut: the answer's outOfLimitUrls
            CHECK(rows[i].outcome == "not_sent");
            CHECK(rows[i].message == limit);
            CHECK(rows[i].attempts == "1");
        } else {  // never sent
            CHECK(rows[i].outcome == "not_sent");
            CHECK(rows[i].message == "not sent: " + limit);
            CHECK(rows[i].attempts == "0");
        }
    }
    CHECK(stored(sandbox).size() == 95);
    CHECK(stats(sandbox).requests == 10);

    // A re-run meets the limit again at its first batch, and sends no other.
    auto again = import_into(sandbox, {"--endpoint", "bulk", "--batch-size", "10", "--connections", "1", input});
    CHECK(again.status == 75);
    CHECK(stats(sandbox).requests == 11);
    auto second = read_report(input + ".report.csv");
    CHECK(count_outcome(second, "added") == 95);
    CHECK(count_outcome(second, "not_sent") == 205);
}

TEST_CASE("kill -9 mid-run, then a re-run: every row added, only the batches in flight sent twice") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(2000));
    const std::vector<std::string> args = {"--endpoint", "bulk", "--batch-size", "10", "--connections", "4"};
    {
        // 200 batches at 50 requests/s: the kill lands in the middle.
        auto first_args = args;
        first_args.insert(first_args.end(), {"--rate", "50", "--quiet", input});
        child first(importer_argv(sandbox, first_args), with_key());
        wait_until([&] { return stats(sandbox).requests >= 40; }, "batches to arrive");
        first.signal(SIGKILL);
        CHECK(first.wait() == 128 + SIGKILL);
    }
    CHECK(stored(sandbox).size() < 2000);
    auto rerun_args = args;
    rerun_args.push_back(input);
    auto r = import_into(sandbox, rerun_args);
    INFO(r.err);
    CHECK(r.status == 0);
    auto rows = read_report(input + ".report.csv");
    check_complete_and_ordered(rows, 2000);
    CHECK(count_outcome(rows, "added") == 2000);
    auto after = stored(sandbox);
    CHECK(after.size() == 2000);
    // Only the batches in flight at the kill (one a connection) reached the
    // sandbox without their answer reaching the journal.
    std::size_t posted_again = 0;
    for (const auto& [url, p] : after) posted_again += p.posts > 1;
    CHECK(posted_again <= 4 * 10);
    CHECK(stats(sandbox).requests <= 200 + 4);
}

TEST_CASE("a refused key stops a bulk run with exit 3: the 401 batches failed, the rest not_sent") {
    sandbox_process sandbox({"--api-key", "the-right-key"});
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(100));
    auto r = import_into(sandbox, {"--endpoint", "bulk", "--batch-size", "10", "--connections", "4", input},
                         "a-wrong-key");
    CHECK(r.status == 3);
    CHECK(contains(r.err, "401"));
    CHECK_FALSE(contains(r.err, "a-wrong-key"));
    auto s = stats(sandbox);
    CHECK(s.by_status[401] >= 1);
    CHECK(s.by_status[401] <= 4);
    CHECK(s.requests == s.by_status[401]);
    auto rows = read_report(input + ".report.csv");
    check_complete_and_ordered(rows, 100);
    CHECK(count_outcome(rows, "failed") == 10 * static_cast<std::size_t>(s.by_status[401]));
    CHECK(count_outcome(rows, "not_sent") == 100 - 10 * static_cast<std::size_t>(s.by_status[401]));
    for (const auto& row : rows)
        if (row.outcome == "failed") CHECK(row.http_status == "401");
    CHECK(stored(sandbox).empty());
}

TEST_CASE("--batch-size 1: one request a row, every row added once") {
    sandbox_process sandbox;
    temp_dir dir;
    auto input = dir / "leads.csv";
    write_file(input, lead_rows(30));
    auto r = import_into(sandbox, {"--endpoint", "bulk", "--batch-size", "1", input});
    INFO(r.err);
    CHECK(r.status == 0);
    auto rows = read_report(input + ".report.csv");
    check_complete_and_ordered(rows, 30);
    for (std::size_t i = 0; i < 30; ++i) {
        CHECK(rows[i].outcome == "added");
        CHECK(rows[i].normalized_url == lead_url(i));
        CHECK(rows[i].message.empty());
    }
    CHECK(stats(sandbox).requests == 30);
    auto store = stored(sandbox);
    CHECK(store.size() == 30);
    for (const auto& [url, p] : store) CHECK(p.posts == 1);
}
