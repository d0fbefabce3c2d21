#include "prospect/app/command_line.hpp"

#include "prospect/app/exit_status.hpp"
#include "support/files.hpp"

#include "prospect/csv/field.hpp"
#include "prospect/policy/outcome.hpp"
#include "prospect/report/format.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace prospect::app;

namespace {

const std::string campaign = "8D256AA6-9B12-49A7-93EE-BF41634B5B60";
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";

parse_result parse(std::vector<std::string> args) {
    args.insert(args.begin(), "prospect-import");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

config parse_config(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    REQUIRE(r.cfg);
    return *r.cfg;
}

// The message of the usage error the arguments cause.
std::string usage_message(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const fatal_error& e) {
        CHECK(e.status == exit_usage);
        return e.what();
    }
    FAIL("no usage error");
    return {};
}

struct api_key_env {
    explicit api_key_env(const char* value) {
        if (value)
            ::setenv("EXTROVERT_API_KEY", value, 1);
        else
            ::unsetenv("EXTROVERT_API_KEY");
    }
    ~api_key_env() { ::unsetenv("EXTROVERT_API_KEY"); }
};

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("defaults: report beside the input, journal beside the report, burst = connections") {
    api_key_env key("  k  \n");
    auto cfg = parse_config({"--campaign", campaign, "--list", list, "--connections", "7", "leads.csv"});
    CHECK(cfg.report_path == "leads.csv.report.csv");
    CHECK(cfg.journal_path == "leads.csv.report.csv.journal");
    CHECK(cfg.burst == 7);
    CHECK(cfg.rate == 5);
    CHECK(cfg.api_key == "k");  // white space around the key is not part of it
    CHECK(cfg.defaults.campaign->view() == "8d256aa6-9b12-49a7-93ee-bf41634b5b60");  // lower case
    CHECK_FALSE(cfg.defaults.move);
}

TEST_CASE("standard input: the report goes to standard output and there is no journal") {
    api_key_env key("k");
    auto cfg = parse_config({"--campaign", campaign, "--list", list, "-"});
    CHECK(cfg.report_path == "-");
    CHECK(cfg.journal_path.empty());
    CHECK(cfg.reader.display_name == "standard input");
}

TEST_CASE("dry runs and --sandbox need no key and keep no journal") {
    api_key_env key(nullptr);
    auto dry = parse_config({"--dry-run", "leads.csv"});
    CHECK(dry.journal_path.empty());
    CHECK(dry.api_key.empty());
    auto sandbox = parse_config({"--sandbox", "--journal", "j", "leads.csv"});
    CHECK(sandbox.journal_path.empty());
}

TEST_CASE("bad values are usage errors naming the option") {
    api_key_env key("k");
    CHECK(contains(usage_message({"--rate", "0", "x.csv"}), "--rate"));
    CHECK(contains(usage_message({"--burst", "0.5", "x.csv"}), "--burst"));
    CHECK(contains(usage_message({"--timeout", "-1", "x.csv"}), "--timeout"));
    CHECK(contains(usage_message({"--max-retries", "-1", "x.csv"}), "--max-retries"));
    CHECK(contains(usage_message({"--list", "not-a-uuid", "x.csv"}), "--list"));
    CHECK(contains(usage_message({"--delimiter", "ab", "x.csv"}), "--delimiter"));
    CHECK(contains(usage_message({"--column", "phone=Tel", "x.csv"}), "--column"));
    CHECK(contains(usage_message({"--sandbox", "--base-url", "https://example.com", "x.csv"}), "--base-url"));
    CHECK(contains(usage_message({}), "CSV_FILE"));
}

TEST_CASE("issue 16: --sandbox refuses any --base-url, the default spelled out included") {
    api_key_env key(nullptr);
    const std::string default_url(prospect::net::default_base_url);
    for (const auto& url : {default_url, std::string("https://example.com")}) {
        CAPTURE(url);
        auto message = usage_message({"--sandbox", "--base-url", url, "x.csv"});
        CHECK(contains(message, "--sandbox"));
        CHECK(contains(message, "--base-url"));
    }
    CHECK(parse_config({"--sandbox", "x.csv"}).base_url == default_url);
    api_key_env with_key("k");
    CHECK(parse_config({"--base-url", default_url, "x.csv"}).base_url == default_url);
}

TEST_CASE("issue 16: --column's message lists every field the reader knows, from its own table") {
    auto message = usage_message({"--column", "phone=Tel", "x.csv"});
    for (std::size_t i = 0; i < prospect::csv::field_count; ++i)
        CHECK(contains(message, std::string(prospect::csv::to_string(static_cast<prospect::csv::field>(i)))));
}

TEST_CASE("issue 16: --help lists the aliases, the report's columns and its outcomes from their own tables") {
    std::ostringstream out;
    auto* saved = std::cout.rdbuf(out.rdbuf());
    auto r = parse({"--help"});
    std::cout.rdbuf(saved);
    CHECK_FALSE(r.cfg);
    CHECK(r.exit_status == 0);
    const auto help = out.str();
    CHECK(contains(help, prospect::csv::alias_table_text()));
    CHECK(contains(help, std::string(prospect::report::csv_header())));
    for (auto o : prospect::policy::all_outcomes) CHECK(contains(help, std::string(to_string(o))));
    CHECK(contains(help, std::string(prospect::net::default_base_url)));
}

TEST_CASE("--delimiter tab, --column and --move-duplicates are understood") {
    api_key_env key("k");
    auto cfg = parse_config({"--delimiter", "tab", "--column", "url=Profil", "--move-duplicates", "x.csv"});
    REQUIRE(cfg.reader.delimiter);
    CHECK(*cfg.reader.delimiter == '\t');
    REQUIRE(cfg.reader.columns.size() == 1);
    CHECK(cfg.reader.columns[0].first == prospect::csv::field::url);
    CHECK(cfg.reader.columns[0].second == "Profil");
    CHECK(cfg.defaults.move);
}

TEST_CASE("no key anywhere is a usage error that says where a key comes from, never what it is") {
    api_key_env key(nullptr);
    CHECK(contains(usage_message({"x.csv"}), "EXTROVERT_API_KEY"));
    api_key_env bad("abc\x01" "def");
    auto message = usage_message({"x.csv"});
    CHECK(contains(message, "control character"));
    CHECK_FALSE(contains(message, "abc"));
}

TEST_CASE("--api-key-file wins over the environment, its trailing newline is not part of the key") {
    api_key_env key("from-env");
    prospect::test::temp_dir dir;
    auto path = dir / "key";
    prospect::test::write_file(path, "from-file\n");
    ::chmod(path.c_str(), 0600);
    auto cfg = parse_config({"--api-key-file", path, "x.csv"});
    CHECK(cfg.api_key == "from-file");
}

static config parse_options_only(std::vector<std::string> args) {
    args.insert(args.begin(), "prospect-import");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    auto r = parse_options(static_cast<int>(argv.size()), argv.data());
    REQUIRE(r.cfg);
    return *r.cfg;
}

TEST_CASE("issue 16: the options alone read no key, from the environment or a file") {
    api_key_env bad("abc\x01" "def");  // resolve_api_key would refuse it
    auto from_env = parse_options_only({"--campaign", campaign, "x.csv"});
    CHECK(from_env.api_key.empty());
    CHECK(from_env.api_key_file.empty());
    auto from_file = parse_options_only({"--api-key-file", "/nonexistent/key", "x.csv"});
    CHECK(from_file.api_key.empty());
    CHECK(from_file.api_key_file == "/nonexistent/key");
}

TEST_CASE("issue 16: resolve_api_key takes the environment's value as a parameter") {
    api_key_env unset(nullptr);
    config cfg;
    resolve_api_key(cfg, " k \n");
    CHECK(cfg.api_key == "k");
    CHECK_THROWS_AS(resolve_api_key(cfg, nullptr), fatal_error);
    config dry;
    dry.dry_run = true;
    resolve_api_key(dry, nullptr);
    CHECK(dry.api_key.empty());
    config from_file;
    from_file.api_key_file = "/nonexistent/key";
    try {
        resolve_api_key(from_file, "from-env");
        FAIL("a missing key file was accepted");
    } catch (const fatal_error& e) {
        CHECK(contains(e.what(), "--api-key-file /nonexistent/key"));
    }
}

TEST_CASE("issue 14: an unknown option close to a real one is named") {
    CHECK(contains(usage_message({"--rat", "5", "x.csv"}), "did you mean --rate?"));
    CHECK(contains(usage_message({"--connection", "3", "x.csv"}), "did you mean --connections?"));
    CHECK_FALSE(contains(usage_message({"--completely-else", "x.csv"}), "did you mean"));
}

TEST_CASE("issue 11: dry runs and rehearsals have reports of their own") {
    CHECK(parse_config({"--dry-run", "--campaign", campaign, "--list", list, "leads.csv"}).report_path ==
          "leads.csv.dry-run.report.csv");
    CHECK(parse_config({"--sandbox", "--campaign", campaign, "--list", list, "leads.csv"}).report_path ==
          "leads.csv.sandbox.report.csv");
    CHECK(parse_config({"--sandbox", "--report-format", "jsonl", "--campaign", campaign, "--list", list, "leads.csv"})
              .report_path == "leads.csv.sandbox.report.jsonl");
}
