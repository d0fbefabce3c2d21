// The bad-input corpus (docs/corpus.md): each hostile or broken file through
// `prospect-import --dry-run`, with the outcome a user should get: a
// whole-file error (exit 2, naming the file and the problem) or the exact
// list of report records. Small files live in tests/data/corpus/; the large
// ones (a 20 MiB line, 100,000 columns) are generated into a temp dir.
#include "support/files.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

using namespace prospect::test;

namespace {

const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";
const std::string corpus_dir = "tests/data/corpus";

// One report record as the table states it; `message` is a substring.
struct row_outcome {
    std::size_t row = 0;
    std::string outcome;
    std::string message;
};

std::ostream& operator<<(std::ostream& os, const row_outcome& r) {
    return os << "{" << r.row << ", " << r.outcome << ", " << r.message << "}";
}

struct corpus_case {
    std::string file;
    int status = 0;
    // Exit 2: a substring of the message (which must also name the file).
    std::string error;
    // Otherwise: every report record, in order.
    std::vector<row_outcome> rows;
};

std::ostream& operator<<(std::ostream& os, const corpus_case& c) { return os << c.file; }

row_outcome sent(std::size_t row) { return {row, "not_sent", "dry run"}; }

// The report is our own RFC 4180 output; cells may hold quotes, commas and
// line breaks (a URL cell with a line break in it is echoed as read).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c != '"') {
                cell += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\n') {
            record.push_back(std::move(cell));
            cell.clear();
            records.push_back(std::move(record));
            record.clear();
        } else {
            cell += c;
        }
    }
    REQUIRE_FALSE(quoted);
    REQUIRE(cell.empty());
    REQUIRE(record.empty());
    return records;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

void check_case(const corpus_case& c, const std::string& path) {
    CAPTURE(c);
    temp_dir dir;
    const std::string report = dir / "report.csv";
    run_options options;
    options.unset.push_back("EXTROVERT_API_KEY");
    auto r = run({PROSPECT_IMPORT_BIN, "--dry-run", "--campaign", campaign, "--list", list, "--report", report,
                  "--report-format", "csv", path},
                 options);
    INFO("stderr: " << r.err.substr(0, 2000));
    CHECK(r.status == c.status);
    if (c.status == 2) {
        REQUIRE_FALSE(c.error.empty());
        CHECK(contains(r.err, path));
        CHECK(contains(r.err, c.error));
        CHECK_FALSE(std::filesystem::exists(report));
        return;
    }
    auto records = parse_csv(read_file(report));
    REQUIRE(!records.empty());
    CHECK(records.front().front() == "row");
    std::vector<row_outcome> got;
    for (std::size_t i = 1; i < records.size(); ++i) {
        REQUIRE(records[i].size() >= 9);  // the contract's nine columns, more may follow
        got.push_back({std::stoul(records[i][0]), records[i][5], records[i][8]});
    }
    REQUIRE(got.size() == c.rows.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CAPTURE(got[i]);
        CHECK(got[i].row == c.rows[i].row);
        CHECK(got[i].outcome == c.rows[i].outcome);
        CHECK(contains(got[i].message, c.rows[i].message));
    }
}

// The committed files and what each must give. docs/corpus.md says why.
const std::vector<corpus_case> committed = {
    // Encodings.
    {"windows-1252.csv", 1, "",
     {{2, "invalid", "not UTF-8: the file is probably in a legacy encoding such as Windows-1252; save it as CSV UTF-8"},
      sent(3), sent(4)}},
    {"utf16le-bom.csv", 0, "", {sent(2)}},
    {"utf16be-bom.csv", 0, "", {sent(2)}},
    {"utf16le-no-bom.csv", 2, "looks UTF-16 encoded (every other byte is zero): save it as CSV UTF-8", {}},
    {"utf32le-bom.csv", 2, "is UTF-32 encoded: save it as CSV UTF-8", {}},
    {"utf8-bom-twice.csv", 0, "", {sent(2)}},
    {"bom-only.csv", 2, "is empty", {}},
    {"empty.csv", 2, "is empty", {}},
    {"invalid-utf8-url.csv", 1, "",
     {sent(2),
      {3, "invalid", "profile name holds bytes that are not UTF-8"},
      {4, "invalid", "profile name is not valid UTF-8 once percent-decoded"},
      {5, "invalid", "profile name is not valid UTF-8 once percent-decoded"},
      {6, "invalid", "profile name is not valid UTF-8 once percent-decoded"},
      sent(7),
      {8, "invalid", "bad percent-encoding in the profile name"}}},
    {"invalid-utf8-in-other-cell.csv", 0, "", {sent(2)}},
    // Not text at all.
    {"nul-in-row.csv", 1, "", {sent(2), {3, "invalid", "row contains a NUL byte"}, sent(4)}},
    {"nul-in-header.csv", 2, "row 1 (the header) contains a NUL byte", {}},
    {"gzip-compressed.csv", 2, "is gzip-compressed, not CSV: decompress it first (gunzip), or pipe it: zcat", {}},
    {"xlsx-renamed.csv", 2, "is a ZIP archive (an Excel .xlsx workbook?), not CSV: save it as CSV UTF-8", {}},
    {"html-saved-as-csv.csv", 2, "no profile URL column; looked for the headers", {}},
    // Quotes.
    {"unbalanced-quote-at-eof.csv", 1, "",
     {sent(2), {3, "invalid", "a quote opened in this row never closes (the row runs to the end of the file)"}}},
    {"unbalanced-quote-mid-file.csv", 1, "",
     {sent(2), {3, "invalid", "a quote opened in this row never closes (the row runs to the end of the file)"}}},
    {"unbalanced-quote-in-header.csv", 2, "row 1 (the header): a quote never closes", {}},
    {"text-after-closing-quote.csv", 1, "",
     {{2, "invalid", "malformed quotes in column 2 \"notes\": text follows the closing quote"}, sent(3)}},
    {"literal-quotes-in-unquoted-cell.csv", 0, "", {sent(2)}},
    {"quoted-url-with-line-break.csv", 1, "",
     {{2, "invalid", "URL contains white space or control characters"}, sent(3)}},
    {"formula-injection.csv", 1, "",
     {{2, "invalid", "malformed quotes in column 2 \"notes\": text follows the closing quote"},
      {3, "invalid", "an e-mail address, not a LinkedIn profile URL"},
      sent(4)}},
    // Shape.
    {"only-delimiters.csv", 2, "has no header row (it holds only blank lines)", {}},
    {"only-blank-lines.csv", 2, "has no header row (it holds only blank lines)", {}},
    {"header-then-only-delimiters.csv", 0, "", {}},
    {"header-repeated-mid-file.csv", 1, "",
     {sent(2), {3, "invalid", "repeats the header (row 1): were two files pasted together?"}, sent(4)}},
    {"concatenated-exports-with-bom.csv", 1, "",
     {sent(2), {3, "invalid", "repeats the header (row 1): were two files pasted together?"}, sent(4)}},
    {"excel-sep-line.csv", 0, "", {sent(2), sent(3)}},
    {"excel-sep-line-tab.csv", 0, "", {sent(2)}},
    {"no-url-column.csv", 2,
     "no profile URL column; looked for the headers \"prospectProfileUrl\", \"profileUrl\", \"defaultProfileUrl\"", {}},
    {"ragged-rows.csv", 1, "", {sent(2), {3, "invalid", "empty profile URL"}, sent(4)}},
    {"cr-only-line-endings.csv", 0, "", {sent(2), sent(3)}},
    {"mixed-line-endings.csv", 0, "", {sent(2), sent(3), sent(4)}},
    {"ctrl-z-at-eof.csv", 0, "", {sent(2)}},
    // Cells.
    {"look-alike-hosts.csv", 1, "",
     {{2, "invalid", "host is not linkedin.com (a look-alike)"},
      {3, "invalid", "host is not linkedin.com (a look-alike)"},
      {4, "invalid", "not a LinkedIn URL"},
      {5, "invalid", "an e-mail address, not a LinkedIn profile URL"},
      {6, "invalid", "company page, not a member profile"},
      {7, "invalid", "/in/ without a profile name"}}},
    {"nbsp-and-zero-width-around-url.csv", 0, "", {sent(2), sent(3), sent(4)}},
    {"bad-ids-and-flags.csv", 1, "",
     {{2, "invalid",
       "campaign id '{8d256aa6-9b12-49a7-93ee-bf41634b5b60}' is not a UUID (8-4-4-4-12 hex digits); move duplicates "
       "cell 'maybe' is not true/false, yes/no or 1/0"},
      {3, "invalid", "campaign id '8d256aa69b1249a793eebf41634b5b60' is not a UUID"},
      sent(4)}},
    {"duplicates-in-many-forms.csv", 1, "",
     {sent(2), {3, "duplicate", "duplicate of row 2"}, {4, "duplicate", "duplicate of row 2"}}},
};

const corpus_case& case_for(const std::string& file) {
    auto it = std::find_if(committed.begin(), committed.end(), [&](const corpus_case& c) { return c.file == file; });
    REQUIRE(it != committed.end());
    return *it;
}

void check_committed(std::initializer_list<const char*> files) {
    for (const char* file : files) check_case(case_for(file), source_path(corpus_dir + "/" + file));
}

constexpr std::size_t mib = std::size_t{1} << 20;

}  // namespace

TEST_CASE("every file of the corpus has an expected outcome, and every case a file") {
    std::set<std::string> on_disk, in_table;
    for (const auto& entry : std::filesystem::directory_iterator(source_path(corpus_dir)))
        on_disk.insert(entry.path().filename().string());
    for (const auto& c : committed) in_table.insert(c.file);
    CHECK(on_disk == in_table);
    CHECK(in_table.size() == committed.size());
    CHECK(committed.size() >= 30);
}

TEST_CASE("corpus: encodings other than UTF-8") {
    check_committed({"windows-1252.csv", "utf16le-bom.csv", "utf16be-bom.csv", "utf16le-no-bom.csv",
                     "utf32le-bom.csv", "utf8-bom-twice.csv", "bom-only.csv", "empty.csv", "invalid-utf8-url.csv",
                     "invalid-utf8-in-other-cell.csv"});
}

TEST_CASE("corpus: NUL bytes and files that are not text") {
    check_committed({"nul-in-row.csv", "nul-in-header.csv", "gzip-compressed.csv", "xlsx-renamed.csv",
                     "html-saved-as-csv.csv"});
}

TEST_CASE("corpus: quotes") {
    check_committed({"unbalanced-quote-at-eof.csv", "unbalanced-quote-mid-file.csv", "unbalanced-quote-in-header.csv",
                     "text-after-closing-quote.csv", "literal-quotes-in-unquoted-cell.csv",
                     "quoted-url-with-line-break.csv", "formula-injection.csv"});
}

TEST_CASE("corpus: shape of the file (delimiters only, repeated header, Excel sep= line, line endings)") {
    check_committed({"only-delimiters.csv", "only-blank-lines.csv", "header-then-only-delimiters.csv",
                     "header-repeated-mid-file.csv", "concatenated-exports-with-bom.csv", "excel-sep-line.csv",
                     "excel-sep-line-tab.csv", "no-url-column.csv", "ragged-rows.csv", "cr-only-line-endings.csv",
                     "mixed-line-endings.csv", "ctrl-z-at-eof.csv"});
}

TEST_CASE("corpus: hostile cells") {
    check_committed({"look-alike-hosts.csv", "nbsp-and-zero-width-around-url.csv", "bad-ids-and-flags.csv",
                     "duplicates-in-many-forms.csv"});
}

TEST_CASE("corpus: a 20 MiB line is one invalid row, the rows around it are read") {
    temp_dir dir;
    const std::string path = dir / "20mib-line.csv";
    write_file(path, "url,notes\nlinkedin.com/in/a,ok\nlinkedin.com/in/b," + std::string(20 * mib, 'x') +
                         "\nlinkedin.com/in/c,ok\n");
    check_case({"20mib-line.csv (generated)", 1, "",
                {sent(2), {3, "invalid", "row is 20971538 bytes long, over the limit of 16777216 bytes"}, sent(4)}},
               path);
}

TEST_CASE("corpus: a 20 MiB quoted multi-line cell is one invalid row, the rows after it are read") {
    temp_dir dir;
    const std::string path = dir / "20mib-quoted-cell.csv";
    std::string cell(20 * mib, 'y');
    for (std::size_t i = 100; i < cell.size(); i += 4096) cell[i] = '\n';
    write_file(path, "url,notes\nlinkedin.com/in/a,\"" + cell + "\"\nlinkedin.com/in/b,ok\n");
    check_case({"20mib-quoted-cell.csv (generated)", 1, "", {{2, "invalid", "over the limit of 16777216 bytes"}, sent(3)}},
               path);
}

TEST_CASE("corpus: a 20 MiB header is a whole-file error naming the header row") {
    temp_dir dir;
    const std::string path = dir / "20mib-header.csv";
    write_file(path, "url," + std::string(20 * mib, 'h') + "\nlinkedin.com/in/a,x\n");
    check_case({"20mib-header.csv (generated)", 2, "row 1 (the header) is longer than 16777216 bytes", {}}, path);
}

TEST_CASE("corpus: 100,000 columns with the url column last") {
    temp_dir dir;
    const std::string path = dir / "100k-columns.csv";
    constexpr int columns = 100'000;
    std::string text;
    for (int i = 1; i < columns; ++i) text += "c" + std::to_string(i) + ",";
    text += "LinkedIn URL\n";
    for (int i = 1; i < columns; ++i) text += "v,";
    text += "linkedin.com/in/a\n";
    for (int i = 1; i < columns; ++i) text += "\"q, " + std::to_string(i) + "\",";  // quoted: every cell checked
    text += "\"linkedin.com/in/b\"\n";
    write_file(path, text);
    check_case({"100k-columns.csv (generated)", 0, "", {sent(2), sent(3)}}, path);
}

TEST_CASE("corpus: 100,000 cells in rows under a two-column header are read, the extra cells ignored") {
    temp_dir dir;
    const std::string path = dir / "100k-cells.csv";
    std::string extra;
    for (int i = 0; i < 100'000; ++i) extra += ",x";
    write_file(path, "url,notes\nlinkedin.com/in/a,n" + extra + "\nlinkedin.com/in/b,\"n\"" + extra + "\n");
    check_case({"100k-cells.csv (generated)", 0, "", {sent(2), sent(3)}}, path);
}
