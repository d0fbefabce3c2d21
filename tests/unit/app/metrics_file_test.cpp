#include "prospect/app/metrics_file.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace prospect::app;
using prospect::policy::outcome;
namespace fs = std::filesystem;

namespace {

// 1,700,000,000 s after the epoch: 2023-11-14T22:13:20Z.
const auto ended = std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000);

run_metrics sample_run(int exit_status) {
    run_metrics m;
    for (int i = 0; i < 3; ++i) m.rows.add(outcome::added);
    m.rows.add(outcome::invalid);
    for (int i = 0; i < 3; ++i) m.requests.add_status(201);
    m.requests.add_status(429);
    m.requests.add_status(503);
    m.requests.add_failure(prospect::policy::attempt_kind::timed_out);
    m.retries = 3;
    m.duration = std::chrono::milliseconds(12'345);
    m.exit_status = exit_status;
    m.finished_at = ended;
    return m;
}

std::string value_line(const std::string& text, std::string_view name) {
    for (std::size_t at = 0; at < text.size();) {
        auto eol = text.find('\n', at);
        auto line = text.substr(at, eol - at);
        if (line.starts_with(name) && (line[name.size()] == ' ' || line[name.size()] == '{')) return line;
        at = eol + 1;
    }
    return {};
}

}  // namespace

TEST_CASE("the exposition: HELP and TYPE for every metric, every outcome, requests by status") {
    CHECK(format_metrics(sample_run(1), std::nullopt) ==
          "# HELP prospect_import_rows Rows of the last run by outcome.\n"
          "# TYPE prospect_import_rows gauge\n"
          "prospect_import_rows{outcome=\"added\"} 3\n"
          "prospect_import_rows{outcome=\"rejected\"} 0\n"
          "prospect_import_rows{outcome=\"invalid\"} 1\n"
          "prospect_import_rows{outcome=\"duplicate\"} 0\n"
          "prospect_import_rows{outcome=\"failed\"} 0\n"
          "prospect_import_rows{outcome=\"not_sent\"} 0\n"
          "# HELP prospect_import_requests Requests the last run sent, by HTTP status or transport failure "
          "(connect_error, timeout, connection_lost, tls_error).\n"
          "# TYPE prospect_import_requests gauge\n"
          "prospect_import_requests{status=\"201\"} 3\n"
          "prospect_import_requests{status=\"429\"} 1\n"
          "prospect_import_requests{status=\"503\"} 1\n"
          "prospect_import_requests{status=\"timeout\"} 1\n"
          "# HELP prospect_import_retries Requests of the last run that repeated an earlier attempt of their row.\n"
          "# TYPE prospect_import_retries gauge\n"
          "prospect_import_retries 3\n"
          "# HELP prospect_import_duration_seconds How long the last run took.\n"
          "# TYPE prospect_import_duration_seconds gauge\n"
          "prospect_import_duration_seconds 12.345\n"
          "# HELP prospect_import_exit_status Exit status of the last run: 0 all added, 1 some rows for a person, "
          "2 usage, 3 key or certificate refused, 4 another run held a lock, 69 endpoint missing, 70 internal "
          "error, 74 local write failed, 75 rows left for a later run, 130/143 interrupted.\n"
          "# TYPE prospect_import_exit_status gauge\n"
          "prospect_import_exit_status 1\n"
          "# HELP prospect_import_last_run_timestamp_seconds When the last run ended, in Unix time.\n"
          "# TYPE prospect_import_last_run_timestamp_seconds gauge\n"
          "prospect_import_last_run_timestamp_seconds 1700000000.000\n"
          "# HELP prospect_import_last_success_timestamp_seconds When the last run that exited 0 ended, in "
          "Unix time; 0 if none did.\n"
          "# TYPE prospect_import_last_success_timestamp_seconds gauge\n"
          "prospect_import_last_success_timestamp_seconds 0.000\n");
}

TEST_CASE("the input's name labels every sample, escaped") {
    auto m = sample_run(0);
    m.input = "C:\\exports\\\"q3\"\nleads.csv";
    auto text = format_metrics(m, std::nullopt);
    CHECK(value_line(text, "prospect_import_rows") ==
          R"(prospect_import_rows{input="C:\\exports\\\"q3\"\nleads.csv",outcome="added"} 3)");
    CHECK(value_line(text, "prospect_import_retries") ==
          R"(prospect_import_retries{input="C:\\exports\\\"q3\"\nleads.csv"} 3)");
    CHECK(escape_label_value("plain") == "plain");
}

TEST_CASE("the last success is this run's end when it exited 0, else the previous one") {
    CHECK(value_line(format_metrics(sample_run(0), 1'600'000'000.5), "prospect_import_last_success_timestamp_seconds") ==
          "prospect_import_last_success_timestamp_seconds 1700000000.000");
    for (int status : {1, 2, 3, 4, 130, 143})
        CHECK(value_line(format_metrics(sample_run(status), 1'600'000'000.5),
                         "prospect_import_last_success_timestamp_seconds") ==
              "prospect_import_last_success_timestamp_seconds 1600000000.500");
}

TEST_CASE("the last success is read back from an earlier file, labels or not") {
    CHECK(parse_last_success(format_metrics(sample_run(0), std::nullopt)) == doctest::Approx(1'700'000'000.0));
    CHECK(parse_last_success(format_metrics(sample_run(1), std::nullopt)) == std::nullopt);  // 0: none
    CHECK(parse_last_success("prospect_import_last_success_timestamp_seconds{input=\"a}\\\"b\"} 1.5e9 123\n") ==
          doctest::Approx(1.5e9));
    CHECK(parse_last_success("prospect_import_last_success_timestamp_seconds_other 5\n") == std::nullopt);
    CHECK(parse_last_success("prospect_import_last_success_timestamp_seconds garbage\n") == std::nullopt);
    CHECK(parse_last_success("") == std::nullopt);
}

TEST_CASE("statuses outside 100-599 count as other, after the real ones") {
    request_tally t;
    t.add_status(999);
    t.add_status(200);
    t.add_status(0);
    t.add_failure(prospect::policy::attempt_kind::connect_failed);
    t.add_failure(prospect::policy::attempt_kind::tls_failed);
    t.add_failure(prospect::policy::attempt_kind::tls_verify_failed);
    CHECK(t.status_count(999) == 2);
    CHECK(t.total() == 6);
    auto labels = t.labelled();
    REQUIRE(labels.size() == 4);
    CHECK(labels[0] == std::pair<std::string, std::uint64_t>{"200", 1});
    CHECK(labels[1] == std::pair<std::string, std::uint64_t>{"other", 2});
    CHECK(labels[2].first == "connect_error");
    CHECK(labels[3] == std::pair<std::string, std::uint64_t>{"tls_error", 2});  // both TLS kinds, one label
}

TEST_CASE("the file is replaced whole, leaves no temporary behind, and keeps the last success of a failed run") {
    prospect::test::temp_dir dir;
    const auto path = dir / "prospect_import.prom";

    auto ok = sample_run(0);
    ok.input = "leads-2024-06.csv";
    CHECK(write_metrics_file(path, ok) == std::nullopt);
    CHECK(prospect::test::read_file(path) == format_metrics(ok, std::nullopt));

    // The next export, under a new name, fails: the job's last success stays.
    auto failed = sample_run(3);
    failed.input = "leads-2024-07.csv";
    failed.finished_at = ended + std::chrono::hours(1);
    CHECK(write_metrics_file(path, failed) == std::nullopt);
    auto text = prospect::test::read_file(path);
    CHECK(value_line(text, "prospect_import_exit_status") ==
          R"(prospect_import_exit_status{input="leads-2024-07.csv"} 3)");
    CHECK(value_line(text, "prospect_import_last_run_timestamp_seconds") ==
          R"(prospect_import_last_run_timestamp_seconds{input="leads-2024-07.csv"} 1700003600.000)");
    CHECK(value_line(text, "prospect_import_last_success_timestamp_seconds") ==
          R"(prospect_import_last_success_timestamp_seconds{input="leads-2024-07.csv"} 1700000000.000)");

    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
    CHECK(files == 1);
    CHECK((fs::status(path).permissions() & fs::perms::others_read) != fs::perms::none);
}

TEST_CASE("a metrics file that cannot be written is an error message naming it, not an exception") {
    prospect::test::temp_dir dir;
    const auto path = dir / "missing-dir/prospect_import.prom";
    auto error = write_metrics_file(path, sample_run(0));
    REQUIRE(error.has_value());
    CHECK(error->find("--metrics-file " + path) == 0);
    CHECK(error->find("No such file or directory") != std::string::npos);
}
