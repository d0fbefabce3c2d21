// How prospect-import reads the files users really have (docs/contract.md
// "Columns", "What is read"), through the real binary's dry run: exports of
// Phantombuster, Waalaxy, HubSpot and hand-made sheets from
// tests/data/exports/, UTF-16 and Windows-1252 files, gzip, pipes and FIFOs.
#include "support/files.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

using namespace prospect::test;

namespace {

const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";

struct dry_result {
    run_result run;
    std::string report;  // empty when none was written
};

dry_result dry_run(const std::string& input, std::vector<std::string> extra, run_options options = {}) {
    temp_dir dir;
    const std::string report = dir / "report.csv";
    std::vector<std::string> args{PROSPECT_IMPORT_BIN, "--dry-run", "--report", report};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(input);
    options.unset.push_back("EXTROVERT_API_KEY");
    auto r = run(args, options);
    return {r, read_file_or_empty(report)};
}

std::string export_file(const std::string& name) { return source_path("tests/data/exports/" + name); }

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string not_sent(std::size_t row, const std::string& cell, const std::string& normalized) {
    return "\n" + std::to_string(row) + "," + cell + "," + normalized + "," + campaign + "," + list +
           ",not_sent,,0,dry run";
}

// RFC 3629, enough to say a report is UTF-8 throughout.
bool is_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                         : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

std::string many_rows(int n) {
    std::string text = "url,notes\n";
    for (int i = 0; i < n; ++i) text += "linkedin.com/in/p" + std::to_string(i) + ",\"note, " + std::to_string(i) + "\"\n";
    return text;
}

std::size_t records_in(const std::string& report) {
    return static_cast<std::size_t>(std::count(report.begin(), report.end(), '\n')) - 1;
}

}  // namespace

TEST_CASE("Phantombuster Sales Navigator export: the public defaultProfileUrl is taken, and the run says why") {
    auto r = dry_run(export_file("phantombuster-sales-navigator.csv"), {"--campaign", campaign, "--list", list});
    INFO(r.run.err);
    CHECK(r.run.status == 0);
    CHECK(contains(r.run.err, "url: \"defaultProfileUrl\" (column 11), chosen over \"profileUrl\": 4 of 4 cells are "
                              "profile URLs against 0\n"));
    CHECK(contains(r.run.err, "campaign: --campaign " + campaign + " for every row (no campaign column)\n"));
    CHECK(contains(r.run.err, "list: --list " + list + " for every row (no list column)\n"));
    CHECK(contains(r.run.err, "move: --no-move-duplicates (the default) for every row (no move column)\n"));
    CHECK(contains(r.report, not_sent(2, "https://www.linkedin.com/in/jane-doe-4b1a2c",
                                      "https://www.linkedin.com/in/jane-doe-4b1a2c")));
    CHECK(contains(r.report, not_sent(5, "https://www.linkedin.com/in/marc-oneil-12",
                                      "https://www.linkedin.com/in/marc-oneil-12")));

    auto quiet = dry_run(export_file("phantombuster-sales-navigator.csv"),
                         {"--quiet", "--campaign", campaign, "--list", list});
    CHECK(quiet.run.status == 0);
    CHECK_FALSE(contains(quiet.run.err, "url:"));
}

TEST_CASE("Waalaxy export whose campaign column holds names: exit 2 with the advice, then --column campaign=") {
    auto refused = dry_run(export_file("waalaxy-export.csv"), {"--campaign", campaign, "--list", list});
    CHECK(refused.run.status == 2);
    CHECK(contains(refused.run.err, "waalaxy-export.csv: the campaign column \"campaign\" (column 5) holds no "
                                    "campaign ID: none of its first 3 non-empty cells is a UUID (row 2: \"Q2 "
                                    "outreach DACH\")"));
    CHECK(contains(refused.run.err, "--column campaign="));
    CHECK(refused.report.empty());

    auto ignored = dry_run(export_file("waalaxy-export.csv"),
                           {"--column", "campaign=", "--campaign", campaign, "--list", list});
    INFO(ignored.run.err);
    CHECK(ignored.run.status == 0);
    CHECK(contains(ignored.run.err, "campaign: --campaign " + campaign +
                                        " for every row (column \"campaign\" (column 5) ignored (--column "
                                        "campaign=))\n"));
    CHECK(contains(ignored.run.err, "url: \"linkedinUrl\" (column 4), a recognised header\n"));
    CHECK(contains(ignored.report, not_sent(2, "https://www.linkedin.com/in/jane-doe-4b1a2c/",
                                            "https://www.linkedin.com/in/jane-doe-4b1a2c")));
    CHECK(records_in(ignored.report) == 3);
}

TEST_CASE("headers LinkedIn, Profile URL and LinkedIn Contact Profile URL are recognised") {
    struct sheet {
        const char* file;
        const char* header;
        std::size_t column;
    };
    for (auto s : {sheet{"google-sheet-linkedin.csv", "LinkedIn", 3}, sheet{"crm-profile-url.csv", "Profile URL", 2},
                   sheet{"hubspot-contacts.csv", "LinkedIn Contact Profile URL", 5}}) {
        CAPTURE(s.file);
        auto r = dry_run(export_file(s.file), {"--campaign", campaign, "--list", list});
        INFO(r.run.err);
        CHECK(r.run.status == 0);
        CHECK(contains(r.run.err, "url: \"" + std::string(s.header) + "\" (column " + std::to_string(s.column) +
                                      "), a recognised header"));
        CHECK(records_in(r.report) == 2);
        CHECK(contains(r.report, ",https://www.linkedin.com/in/ana-lima," + campaign));
    }
}

TEST_CASE("Excel Unicode Text (UTF-16LE with BOM, tabs) is read") {
    auto r = dry_run(export_file("excel-unicode-text.txt"), {"--campaign", campaign, "--list", list});
    INFO(r.run.err);
    CHECK(r.run.status == 0);
    CHECK(contains(r.run.err, "encoding: utf-16, decoded to UTF-8 as it is read"));
    CHECK(contains(r.report, not_sent(2, "https://www.linkedin.com/in/j\xC3\xB6rg-m\xC3\xBCller",
                                      "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller")));
    CHECK(contains(r.report, not_sent(4, "linkedin.com/in/ana-lima", "https://www.linkedin.com/in/ana-lima")));
}

TEST_CASE("a Windows-1252 file: with --encoding windows-1252 read right, without it a warning and U+FFFD") {
    auto right = dry_run(export_file("excel-windows-1252.csv"),
                         {"--encoding", "windows-1252", "--campaign", campaign, "--list", list});
    INFO(right.run.err);
    CHECK(right.run.status == 0);
    CHECK(is_utf8(right.report));
    CHECK(contains(right.report, not_sent(2, "https://www.linkedin.com/in/j\xC3\xB6rg-m\xC3\xBCller",
                                          "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller")));
    CHECK(contains(right.report, "https://www.linkedin.com/in/fran%C3%A7ois-l%C3%A9vy,"));
    CHECK_FALSE(contains(right.run.err, "not valid UTF-8"));

    auto raw = dry_run(export_file("excel-windows-1252.csv"), {"--campaign", campaign, "--list", list});
    CHECK(raw.run.status == 1);
    CHECK(contains(raw.run.err, "excel-windows-1252.csv is not valid UTF-8 (first in row 2"));
    CHECK(contains(raw.run.err, "--encoding windows-1252"));
    CHECK(is_utf8(raw.report));
    CHECK(contains(raw.report, "\n2,https://www.linkedin.com/in/j\xEF\xBF\xBDrg-m\xEF\xBF\xBDller,,"));
    CHECK(contains(raw.report, not_sent(3, "https://www.linkedin.com/in/anne-smith",
                                        "https://www.linkedin.com/in/anne-smith")));

    auto jsonl = dry_run(export_file("excel-windows-1252.csv"),
                         {"--report-format", "jsonl", "--campaign", campaign, "--list", list});
    CHECK(is_utf8(jsonl.report));
}

TEST_CASE("a gzip file is a usage error that says to decompress it or pipe it") {
    const std::string path = export_file("leads.csv.gz");
    auto r = dry_run(path, {"--campaign", campaign, "--list", list});
    CHECK(r.run.status == 2);
    CHECK(contains(r.run.err, path + " is gzip-compressed, not CSV: decompress it first (gunzip), or pipe it: zcat " +
                                  path + " | prospect-import"));
    CHECK(r.report.empty());
}

TEST_CASE("/dev/stdin fed by a pipe gives every row") {
    run_options options;
    options.input = many_rows(5000);
    auto r = dry_run("/dev/stdin", {"--campaign", campaign, "--list", list}, options);
    INFO(r.run.err.substr(0, 2000));
    CHECK(r.run.status == 0);
    CHECK(records_in(r.report) == 5000);
    CHECK(contains(r.report, "\n5001,linkedin.com/in/p4999,"));
}

TEST_CASE("a FIFO gives every row") {
    temp_dir dir;
    const std::string fifo = dir / "leads.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string data = many_rows(5000);
    std::signal(SIGPIPE, SIG_IGN);
    // The writer's open blocks until the importer opens the FIFO to read.
    std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        for (std::size_t at = 0; fd >= 0 && at < data.size();) {
            const ssize_t n = ::write(fd, data.data() + at, data.size() - at);
            if (n <= 0) break;
            at += static_cast<std::size_t>(n);
        }
        if (fd >= 0) ::close(fd);
    });
    auto r = dry_run(fifo, {"--campaign", campaign, "--list", list});
    // Should the importer never have opened it, a reader's open lets the writer go (its writes then fail).
    ::close(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK));
    writer.join();
    INFO(r.run.err.substr(0, 2000));
    CHECK(r.run.status == 0);
    CHECK(records_in(r.report) == 5000);
}
