#include "prospect/report/report_writer.hpp"

#include "csv_reference.hpp"
#include "support/files.hpp"

#include <doctest/doctest.h>
#include <algorithm>
#include <filesystem>

using namespace prospect::report;
using prospect::test::read_file;
using prospect::test::temp_dir;

namespace {

std::size_t entries(const temp_dir& dir) {
    auto it = std::filesystem::directory_iterator(dir.path());
    return static_cast<std::size_t>(std::distance(it, std::filesystem::directory_iterator{}));
}

// The size of the report's writes (report_writer.cpp's flush threshold).
constexpr std::uintmax_t write_step = 256 * 1024;

// The temporary file's size while a report is being written.
std::uintmax_t written_so_far(const temp_dir& dir) {
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        if (entry.path().extension() == ".tmp") return entry.file_size();
    return 0;
}

// Writes `r` as rows 2 to 20001, checking every 1,000 rows that the file
// has only grown in whole 256 KiB steps; returns what it then holds.
std::uintmax_t write_rows_in_steps(const temp_dir& dir, report_writer& w, row_result r) {
    for (std::size_t i = 2; i < 20002; ++i) {
        r.row = i;
        w.write(r);
        if (i % 1000 == 0) CHECK(written_so_far(dir) % write_step == 0);
    }
    return written_so_far(dir);
}

}  // namespace

TEST_CASE("a finished report replaces the file whole, an unfinished one leaves no trace") {
    temp_dir dir;
    auto path = dir / "leads.csv.report.csv";
    prospect::test::write_file(path, "old report\n");
    {
        report_writer w(path, format::csv);
        row_result r;
        r.row = 2;
        r.outcome = prospect::policy::outcome::not_sent;
        r.message = "dry run";
        w.write(r);
        CHECK(read_file(path) == "old report\n");  // still the old one until finish()
        w.finish();
    }
    CHECK(read_file(path) == std::string(csv_header()) + "2,,,,,not_sent,,0,dry run,\n");
    CHECK(entries(dir) == 1);

    {
        report_writer w(path, format::csv);
        w.write(row_result{});
    }
    CHECK(read_file(path) == std::string(csv_header()) + "2,,,,,not_sent,,0,dry run,\n");
    CHECK(entries(dir) == 1);  // no temporary file left behind
}

TEST_CASE("issue 11: two writers of one report path never share a temporary file") {
    temp_dir dir;
    auto path = dir / "r.csv";
    report_writer a(path, format::csv);
    report_writer b(path, format::csv);
    CHECK(entries(dir) == 2);
    row_result r;
    r.row = 7;
    a.write(r);
    a.finish();
    b.finish();  // the later rename wins whole: never a mix of both
    CHECK(read_file(path) == std::string(csv_header()));
}

TEST_CASE("many records are all written in order, across buffer flushes, in whole 256 KiB steps") {
    temp_dir dir;
    auto path = dir / "big.jsonl";
    report_writer w(path, format::jsonl);
    row_result r;
    r.message = "a message long enough to fill the buffer several times over";
    CHECK(write_rows_in_steps(dir, w, r) > 0);
    w.finish();
    auto content = read_file(path);
    CHECK(std::count(content.begin(), content.end(), '\n') == 20000);
    std::size_t row = 2, at = 0;
    for (; at < content.size() && content.compare(at, 7, "{\"row\":") == 0; ++row) {
        if (std::stoul(content.substr(at + 7, 6)) != row) break;
        at = content.find('\n', at) + 1;
    }
    CHECK(row == 20002);
    CHECK(at == content.size());
}

TEST_CASE("CSV records are written whole in order across flushes, a record larger than the buffer too") {
    temp_dir dir;
    auto path = dir / "big.csv";
    prospect::report::test::random_cells cells(9);
    std::string expected(csv_header());
    {
        report_writer w(path, format::csv);
        std::string url, message;
        for (std::size_t i = 2; i < 30002; ++i) {
            url = cells.cell();
            // now and then a cell longer than the 260 KiB buffer, all of it to be replaced or quoted
            message = i % 7919 == 0 ? std::string(300'000, i % 2 ? '\xFF' : '"') : cells.cell(20);
            row_result r;
            r.row = i % 1000 == 0 ? i + 5 : i;
            r.profile_url = url;
            r.campaign_id = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
            r.message = message;
            r.derived_cells_plain = prospect::report::test::reference_cell(message) == message;
            w.write(r);
            expected += prospect::report::test::reference_record(r);
        }
        w.finish();
    }
    CHECK(read_file(path) == expected);
}

TEST_CASE("a CSV report is written in whole 256 KiB steps until it is finished") {
    temp_dir dir;
    auto path = dir / "steps.csv";
    report_writer w(path, format::csv);
    row_result r;
    r.message = "dry run";
    r.profile_url = "https://www.linkedin.com/in/someone-with-a-longish-name-123/";
    CHECK(write_rows_in_steps(dir, w, r) >= write_step);
    w.finish();
    CHECK(read_file(path).size() % write_step != 0);
}

TEST_CASE("a report in a missing directory is a clear error naming the path") {
    try {
        report_writer w("/nonexistent-dir/x.csv", format::csv);
        FAIL("expected report_error");
    } catch (const report_error& e) {
        CHECK(std::string(e.what()).find("/nonexistent-dir/x.csv.") != std::string::npos);
    }
}

TEST_CASE("a report of many MiB, synced along the way, is whole once finished") {
    temp_dir dir;
    auto path = dir / "big.csv";
    constexpr std::size_t rows = 120'000;  // about 7 MiB: its writeback starts and it is synced along the way
    const std::string url = "https://www.linkedin.com/in/someone-with-a-long-profile-name";
    {
        report_writer w(path, format::csv);
        row_result r;
        r.profile_url = url;
        r.outcome = prospect::policy::outcome::not_sent;
        r.message = "dry run";
        for (std::size_t i = 2; i < rows + 2; ++i) {
            r.row = i;
            w.write(r);
        }
        w.finish();
    }
    const std::string text = read_file(path);
    CHECK(text.size() > std::size_t{6} << 20);
    CHECK(std::count(text.begin(), text.end(), '\n') == rows + 1);
    CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1, 7) == "120001,");
    CHECK(entries(dir) == 1);
}
