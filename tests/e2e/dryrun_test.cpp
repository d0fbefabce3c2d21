// prospect-import --dry-run, run as a user would: whole reports compared
// with the expected files in tests/data/dryrun/, exit statuses and messages.
#include "support/files.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace prospect::test;

namespace {

const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";

run_result dry_run(std::vector<std::string> args, run_options options = {}) {
    args.insert(args.begin(), {PROSPECT_IMPORT_BIN, "--dry-run"});
    options.unset.push_back("EXTROVERT_API_KEY");
    return run(args, options);
}

// Runs the dry run on a sample and returns its report.
std::string report_of(const std::string& sample, std::vector<std::string> extra, int expected_status) {
    temp_dir dir;
    auto report = dir / "report.csv";
    std::vector<std::string> args = {"--report", report, source_path(sample)};
    args.insert(args.begin(), extra.begin(), extra.end());
    auto r = dry_run(args);
    INFO(r.err);
    CHECK(r.status == expected_status);
    return read_file(report);
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("sales navigator export: report matches the expected file, exit 1 for the sales link") {
    auto report = report_of("samples/sales-navigator-export.csv", {"--campaign", campaign, "--list", list}, 1);
    CHECK(report == read_file(source_path("tests/data/dryrun/sales-navigator-export.report.csv")));
}

TEST_CASE("apollo export with fifty columns: report matches the expected file") {
    auto report = report_of("samples/apollo-export.csv", {"--campaign", campaign, "--list", list}, 1);
    CHECK(report == read_file(source_path("tests/data/dryrun/apollo-export.report.csv")));
}

TEST_CASE("european excel export (BOM, semicolons, CRLF, German headers mapped with --column)") {
    auto report = report_of("samples/european-excel-export.csv",
                            {"--column", "campaign=Kampagne", "--column", "list=Liste", "--list", list}, 1);
    CHECK(report == read_file(source_path("tests/data/dryrun/european-excel-export.report.csv")));
}

TEST_CASE("hand-made sheet (blank rows, bad cells, unterminated quote): report matches the expected file") {
    // Its Campaign ID column holds one cell, and no UUID: exit 2 with the way out.
    temp_dir dir;
    auto refused = dry_run({"--campaign", campaign, "--list", list, "--report", dir / "r.csv",
                            source_path("samples/hand-made-sheet.csv")});
    CHECK(refused.status == 2);
    CHECK(contains(refused.err, "the campaign column \"Campaign ID\" (column 3) holds no campaign ID: none of its "
                                "first 1 non-empty cells is a UUID (row 12: \"not-a-uuid\")"));
    CHECK(contains(refused.err, "--column campaign="));
    auto report = report_of("samples/hand-made-sheet.csv",
                            {"--column", "campaign=", "--campaign", campaign, "--list", list}, 1);
    CHECK(report == read_file(source_path("tests/data/dryrun/hand-made-sheet.report.csv")));
}

TEST_CASE("jsonl report matches the expected file") {
    auto report = report_of("samples/sales-navigator-export.csv",
                            {"--campaign", campaign, "--list", list, "--report-format", "jsonl"}, 1);
    CHECK(report == read_file(source_path("tests/data/dryrun/sales-navigator-export.report.jsonl")));
}

TEST_CASE("a clean file exits 0 and the default report path is CSV_FILE.dry-run.report.csv") {
    temp_dir dir;
    auto input = dir / "clean.csv";
    write_file(input, "url\nlinkedin.com/in/a\nlinkedin.com/in/b\n");
    auto r = dry_run({"--campaign", campaign, "--list", list, input});
    INFO(r.err);
    CHECK(r.status == 0);
    auto report = read_file(input + ".dry-run.report.csv");
    CHECK(contains(report, "2,linkedin.com/in/a,https://www.linkedin.com/in/a," + campaign + "," + list +
                               ",not_sent,,0,dry run,false\n"));
    CHECK(contains(r.err, "2 rows: 2 valid"));
    CHECK_FALSE(std::filesystem::exists(input + ".dry-run.report.csv.journal"));
}

TEST_CASE("standard input in, report on standard output") {
    run_options options;
    options.input = "LinkedIn URL\nhttps://www.linkedin.com/in/x/\n";
    auto r = dry_run({"--campaign", campaign, "--list", list, "-"}, options);
    CHECK(r.status == 0);
    CHECK(r.out == "row,profile_url,normalized_url,campaign_id,prospect_list_id,outcome,http_status,attempts,"
                   "message,move_duplicates\n2,https://www.linkedin.com/in/x/,https://www.linkedin.com/in/x," +
                       campaign + "," + list + ",not_sent,,0,dry run,false\n");
}

TEST_CASE("a header with no rows is a successful run with an empty report") {
    temp_dir dir;
    auto input = dir / "header-only.csv";
    write_file(input, "profileUrl,campaignId,listId\r\n");
    auto r = dry_run({input});
    CHECK(r.status == 0);
    CHECK(read_file(input + ".dry-run.report.csv") ==
          "row,profile_url,normalized_url,campaign_id,prospect_list_id,outcome,http_status,attempts,message,"
          "move_duplicates\n");
}

TEST_CASE("an empty file is a usage error naming the file") {
    temp_dir dir;
    auto input = dir / "empty.csv";
    write_file(input, "");
    auto r = dry_run({"--campaign", campaign, "--list", list, input});
    CHECK(r.status == 2);
    CHECK(contains(r.err, input));
    CHECK_FALSE(std::filesystem::exists(input + ".dry-run.report.csv"));
}

TEST_CASE("binary garbage is a usage error naming the file") {
    temp_dir dir;
    auto input = dir / "garbage.bin";
    std::string bytes;
    for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>((i * 7919) % 256));
    write_file(input, bytes);
    auto r = dry_run({"--campaign", campaign, "--list", list, input});
    CHECK(r.status == 2);
    CHECK(contains(r.err, input));
    CHECK_FALSE(std::filesystem::exists(input + ".dry-run.report.csv"));
}

TEST_CASE("a file without a url column is a usage error that lists the headers looked for") {
    temp_dir dir;
    auto input = dir / "no-url.csv";
    write_file(input, "First Name,Email\nJane,jane@example.com\n");
    auto r = dry_run({"--campaign", campaign, "--list", list, input});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "prospectProfileUrl"));
    CHECK(contains(r.err, "Person Linkedin Url"));
}

TEST_CASE("a missing file is a usage error naming it") {
    auto r = dry_run({"--campaign", campaign, "--list", list, "/nonexistent/leads.csv"});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "/nonexistent/leads.csv"));
}

TEST_CASE("an unterminated quote makes the record it opens invalid, earlier rows are kept") {
    temp_dir dir;
    auto input = dir / "open-quote.csv";
    write_file(input, "url,note\nlinkedin.com/in/a,ok\nlinkedin.com/in/b,\"never closed\nlinkedin.com/in/c,x\n");
    auto r = dry_run({"--campaign", campaign, "--list", list, input});
    CHECK(r.status == 1);
    auto report = read_file(input + ".dry-run.report.csv");
    CHECK(contains(report, "\n2,linkedin.com/in/a,https://www.linkedin.com/in/a,"));
    CHECK(contains(report, "\n3,"));
    CHECK(contains(report, ",invalid,,0,"));
    CHECK_FALSE(contains(report, "\n4,"));
}

TEST_CASE("a 1 MiB field is read and the row imported") {
    temp_dir dir;
    auto input = dir / "big-field.csv";
    std::string note(1 << 20, 'n');
    write_file(input, "url,notes\nlinkedin.com/in/a,\"" + note + "\"\nlinkedin.com/in/b,short\n");
    auto r = dry_run({"--campaign", campaign, "--list", list, input});
    INFO(r.err);
    CHECK(r.status == 0);
    auto report = read_file(input + ".dry-run.report.csv");
    CHECK(contains(report, "\n2,linkedin.com/in/a,https://www.linkedin.com/in/a,"));
    CHECK(contains(report, "\n3,linkedin.com/in/b,https://www.linkedin.com/in/b,"));
}

TEST_CASE("no campaign column and no --campaign is a usage error naming the option") {
    temp_dir dir;
    auto input = dir / "no-campaign.csv";
    write_file(input, "url\nlinkedin.com/in/a\n");
    auto r = dry_run({"--list", list, input});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--campaign"));
}

TEST_CASE("a malformed --campaign is a usage error naming the option") {
    auto r = dry_run({"--campaign", "{8d256aa6-9b12-49a7-93ee-bf41634b5b60}", "--list", list,
                      source_path("samples/apollo-export.csv")});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--campaign"));
}

TEST_CASE("unknown options and bad values exit 2 with a pointer to --help") {
    CHECK(dry_run({"--frobnicate", "x.csv"}).status == 2);
    auto r = dry_run({"--connections", "0", "--campaign", campaign, "--list", list, "x.csv"});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--connections"));
    CHECK(dry_run({"--report-format", "xml", "x.csv"}).status == 2);
    CHECK(dry_run({"--column", "email=Email", "x.csv"}).status == 2);
}

TEST_CASE("--column maps an unknown header, --delimiter forces the delimiter") {
    temp_dir dir;
    auto input = dir / "custom.csv";
    write_file(input, "Profil|Liste\nlinkedin.com/in/a|" + list + "\n");
    auto r = dry_run({"--column", "url=Profil", "--column", "list=Liste", "--delimiter", "|", "--campaign",
                      campaign, input});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(contains(read_file(input + ".dry-run.report.csv"), "\n2,linkedin.com/in/a,https://www.linkedin.com/in/a,"));
}

TEST_CASE("an unwritable report path is a usage error naming it") {
    auto r = dry_run({"--campaign", campaign, "--list", list, "--report", "/nonexistent/dir/r.csv",
                      source_path("samples/apollo-export.csv")});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "/nonexistent/dir/r.csv"));
}

TEST_CASE("--help reads like a manual with examples, --version names the program") {
    auto help = run({PROSPECT_IMPORT_BIN, "--help"});
    CHECK(help.status == 0);
    CHECK(contains(help.out, "Examples:"));
    CHECK(contains(help.out, "--dry-run"));
    CHECK(contains(help.out, "Exit status ("));
    CHECK(contains(help.out, "--encoding"));
    CHECK(contains(help.out, "FIELD= ignores"));
    CHECK(contains(help.out, "LinkedIn Contact Profile URL"));
    CHECK(contains(help.out, "moveDuplicatedProspect, move duplicates (true/false, yes/no, 1/0)"));
    auto version = run({PROSPECT_IMPORT_BIN, "--version"});
    CHECK(version.status == 0);
    CHECK(contains(version.out, "prospect-import "));
}

TEST_CASE("a live run without an API key is a usage error that says where a key comes from") {
    run_options options;
    options.unset.push_back("EXTROVERT_API_KEY");
    auto r = run({PROSPECT_IMPORT_BIN, "--campaign", campaign, "--list", list,
                  source_path("samples/apollo-export.csv")},
                 options);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "EXTROVERT_API_KEY"));
}
