#include "prospect/csv/record_reader.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <ostream>
#include <string>
#include <vector>

using namespace prospect::csv;

namespace {

struct row_view {
    std::size_t row = 0;
    std::string url, campaign, list, move, error;
    bool operator==(const row_view&) const = default;
};

std::ostream& operator<<(std::ostream& os, const row_view& r) {
    return os << "{" << r.row << ", url=" << r.url << ", campaign=" << r.campaign << ", list=" << r.list
              << ", move=" << r.move << ", error=" << r.error << "}";
}

struct result {
    std::vector<row_view> rows;
    std::size_t row_count = 0;  // rows() at the end
    std::uint64_t bytes = 0;
    bool operator==(const result&) const = default;
};

result drain(record_reader& reader) {
    result out;
    record r;
    while (reader.next(r)) {
        out.rows.push_back({r.row, std::string(r[field::url]), std::string(r[field::campaign]),
                            std::string(r[field::list]), std::string(r[field::move]), std::string(r.error)});
    }
    out.row_count = reader.rows();
    out.bytes = reader.bytes_read();
    return out;
}

// Reads `data` with read sizes from one byte up, so that every chunk boundary
// falls everywhere (inside quotes, between CR and LF, inside the BOM), and
// requires the same records each time.
result read_all(std::string_view data, reader_params params = {}) {
    params.read_chunk_bytes = 1 << 16;
    auto reader = record_reader::from_string(data, params);
    result expected = drain(reader);
    for (std::size_t chunk : {1, 2, 3, 5, 17}) {
        CAPTURE(chunk);
        params.read_chunk_bytes = chunk;
        auto small = record_reader::from_string(data, params);
        result got = drain(small);
        CHECK(got.rows.size() == expected.rows.size());
        CHECK(got == expected);
    }
    return expected;
}

row_view ok(std::size_t row, std::string url, std::string campaign = "", std::string list = "",
            std::string move = "") {
    return {row, std::move(url), std::move(campaign), std::move(list), std::move(move), ""};
}

}  // namespace

TEST_CASE("LF rows with the header as row 1") {
    auto r = read_all("url,campaignId,prospectListId,moveDuplicatedProspect\n"
                      "https://linkedin.com/in/a,c1,l1,true\n"
                      "https://linkedin.com/in/b,c2,l2,\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "https://linkedin.com/in/a", "c1", "l1", "true"),
                                          ok(3, "https://linkedin.com/in/b", "c2", "l2", "")});
    CHECK(r.row_count == 3);
}

TEST_CASE("CRLF, lone CR and a last line without a line break") {
    const std::vector<row_view> want{ok(2, "a", "x"), ok(3, "b", "y")};
    CHECK(read_all("url,campaign\r\na,x\r\nb,y\r\n").rows == want);
    CHECK(read_all("url,campaign\r\na,x\r\nb,y").rows == want);
    CHECK(read_all("url,campaign\na,x\nb,y").rows == want);
    // Old Mac exports end lines with CR alone.
    CHECK(read_all("url,campaign\ra,x\rb,y\r").rows == want);
    CHECK(read_all("url,campaign\ra,x\rb,y").rows == want);
    CHECK(read_all("url,campaign\r\na,x\r\nb,y\r").rows == want);
}

TEST_CASE("a UTF-8 BOM is not part of the first header") {
    auto reader = record_reader::from_string("\xEF\xBB\xBFurl,list\r\nhttps://x,l\r\n", {});
    CHECK(reader.header() == std::vector<std::string>{"url", "list"});
    CHECK(reader.has_column(field::url));
    auto r = read_all("\xEF\xBB\xBFurl,list\r\nhttps://x,l\r\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "https://x", "", "l")});
    CHECK(r.bytes == 3 + 10 + 13);
}

TEST_CASE("a second BOM (tools that add one without looking) is not part of the header either") {
    auto r = read_all("\xEF\xBB\xBF\xEF\xBB\xBFurl,list\nhttps://x,l\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "https://x", "", "l")});
}

TEST_CASE("Excel's sep= first line names the delimiter and is not a row") {
    const std::vector<row_view> want{ok(2, "u1", "c1"), ok(3, "u2, Jr", "c2")};
    CHECK(read_all("sep=;\nurl;campaign\nu1;c1\nu2, Jr;c2\n").rows == want);
    CHECK(read_all("sep=;\r\nurl;campaign\r\nu1;c1\r\nu2, Jr;c2\r\n").rows == want);
    CHECK(read_all("\xEF\xBB\xBFSEP=;\rurl;campaign\ru1;c1\ru2, Jr;c2").rows == want);
    CHECK(read_all("\"sep=\t\"\r\nurl\tcampaign\r\nu1\tc1\r\nu2, Jr\tc2\r\n").rows == want);
    CHECK(read_all("sep=|\nurl|campaign\nu1|c1\n").rows == std::vector<row_view>{ok(2, "u1", "c1")});
    auto reader = record_reader::from_string("sep=;\nurl;campaign\n", {});
    CHECK(reader.delimiter() == ';');
    CHECK(reader.header_row() == 1);
    CHECK(reader.header() == std::vector<std::string>{"url", "campaign"});

    SUBCASE("--delimiter wins over it") {
        reader_params p;
        p.delimiter = ',';
        auto r = read_all("sep=;\nurl,campaign\nu1,c1\n", p);
        CHECK(r.rows == std::vector<row_view>{ok(2, "u1", "c1")});
    }
    SUBCASE("only a line that is exactly sep=X is taken for one") {
        CHECK_THROWS_AS((void)record_reader::from_string("sep=;x\nurl;campaign\n", {}), input_error);
        CHECK(record_reader::from_string("sep=;,url\nu\n", {}).header() ==
              std::vector<std::string>{"sep=;", "url"});
    }
}

TEST_CASE("a row that repeats the header (two exports pasted together) is an error row, not a lead") {
    auto r = read_all("url,notes\nu1,a\nurl,notes\nu2,b\n\xEF\xBB\xBFurl,notes\n");
    REQUIRE(r.rows.size() == 4);
    CHECK(r.rows[0] == ok(2, "u1"));
    CHECK(r.rows[1].row == 3);
    CHECK(r.rows[1].url.empty());
    CHECK(r.rows[1].error == "repeats the header (row 1): were two files pasted together? not a lead");
    CHECK(r.rows[2] == ok(4, "u2"));
    CHECK(r.rows[3].row == 5);
    CHECK(r.rows[3].error.find("repeats the header (row 1)") == 0);
    // Only the url column's own name counts: another cell may say anything.
    CHECK(read_all("url,notes\nu1,url\nURL,notes\n").rows == std::vector<row_view>{ok(2, "u1"), ok(3, "URL")});
}

TEST_CASE("the delimiter is detected from the header among comma, semicolon and tab") {
    SUBCASE("semicolon") {
        auto reader = record_reader::from_string("Name;LinkedIn URL;Campaign ID\nAnn;u1;c1\n", {});
        CHECK(reader.delimiter() == ';');
        auto r = read_all("Name;LinkedIn URL;Campaign ID\nAnn;u1;c1\nBob, Jr;u2;c2\n");
        CHECK(r.rows == std::vector<row_view>{ok(2, "u1", "c1"), ok(3, "u2", "c2")});
    }
    SUBCASE("tab") {
        auto reader = record_reader::from_string("name\tprofileUrl\tlist\n", {});
        CHECK(reader.delimiter() == '\t');
        auto r = read_all("name\tprofileUrl\tlist\nA, B; C\thttps://u\tl1\n");
        CHECK(r.rows == std::vector<row_view>{ok(2, "https://u", "", "l1")});
    }
    SUBCASE("delimiters inside quoted headers do not count") {
        auto reader = record_reader::from_string("\"a,b,c\";url\nx;y\n", {});
        CHECK(reader.delimiter() == ';');
        CHECK(reader.header() == std::vector<std::string>{"a,b,c", "url"});
    }
    SUBCASE("one column: comma") {
        auto reader = record_reader::from_string("url\nhttps://x\n", {});
        CHECK(reader.delimiter() == ',');
    }
    SUBCASE("given explicitly, it wins") {
        reader_params p;
        p.delimiter = ';';
        auto reader = record_reader::from_string("url;name,first,last\nu;n,f,l\n", p);
        CHECK(reader.delimiter() == ';');
        CHECK(reader.header() == std::vector<std::string>{"url", "name,first,last"});
        p.delimiter = '|';
        CHECK(read_all("name|url\nA, B|u\n", p).rows == std::vector<row_view>{ok(2, "u")});
        p.delimiter = ':';
        CHECK(read_all("name:url:list\n\"A: B\":\"u\":l\n::\n", p).rows == std::vector<row_view>{ok(2, "u", "", "l")});
    }
    SUBCASE("unsupported delimiter") {
        reader_params p;
        p.delimiter = '"';
        CHECK_THROWS_WITH_AS(record_reader::from_string("url\n", p), doctest::Contains("unsupported delimiter '\"'"),
                             input_error);
        p.delimiter = 'x';
        CHECK_THROWS_AS(record_reader::from_string("url\n", p), input_error);
    }
}

TEST_CASE("quoted cells: delimiters, doubled quotes, surrounding spaces") {
    auto r = read_all("name,url,campaign\n"
                      "\"Doe, Jane\",\"https://x/in/a,b\",\"say \"\"hi\"\"\"\n"
                      "  Bob  ,  https://y  ,\" kept \"\n"
                      "\"\"\"\",\"\",\"\"\"\"\"\"\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "https://x/in/a,b", "say \"hi\""), ok(3, "https://y", " kept "),
                                          ok(4, "", "\"\"")});
}

TEST_CASE("line breaks inside quotes: one record, one row") {
    auto r = read_all("url,notes,campaign\r\n"
                      "u1,\"line one\r\nline two\nline three\",c1\r\n"
                      "u2,\"\",c2\r\n"
                      "\"u3\n\",x,c3\r\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "u1", "c1"), ok(3, "u2", "c2"), ok(4, "u3\n", "c3")});
    CHECK(r.row_count == 4);
}

TEST_CASE("blank and delimiter-only lines count as rows but give no record") {
    auto r = read_all("url,campaign,list\n"
                      "u1,c,l\n"
                      "\n"
                      ",,\n"
                      " , ,\t\n"
                      "\r\n"
                      "u2,c,l\n"
                      ",,,,,\n"
                      "\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "u1", "c", "l"), ok(7, "u2", "c", "l")});
    CHECK(r.row_count == 9);
}

TEST_CASE("blank lines before the header are skipped and counted") {
    auto reader = record_reader::from_string("\n,,\nurl\nu\n", {});
    CHECK(reader.header_row() == 3);
    auto r = read_all("\n,,\nurl\nu\n");
    CHECK(r.rows == std::vector<row_view>{ok(4, "u")});
}

TEST_CASE("a quoted empty cell is a record, not a blank row") {
    auto r = read_all("url,campaign\n\"\",\"\"\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "")});
}

TEST_CASE("ragged rows: short rows padded, cells beyond the header ignored") {
    auto r = read_all("name,url,campaign,list\n"
                      "A,u1\n"
                      "B,u2,c2,l2,extra,\"more, \"\"quoted\"\"\",\n"
                      "C\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "u1"), ok(3, "u2", "c2", "l2"), ok(4, "")});
}

TEST_CASE("a header with no rows reads nothing") {
    auto r = read_all("url,campaign\n");
    CHECK(r.rows.empty());
    CHECK(r.row_count == 1);
    CHECK(read_all("url,campaign").rows.empty());
}

TEST_CASE("a quote that never closes makes one invalid row running to the end") {
    auto r = read_all("url,notes\n"
                      "u1,fine\n"
                      "u2,\"never closed\n"
                      "u3,swallowed\n"
                      "u4,too\n");
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0] == ok(2, "u1"));
    CHECK(r.rows[1].row == 3);
    CHECK(r.rows[1].url.empty());
    CHECK(r.rows[1].error.find("never closes") != std::string::npos);
    CHECK(r.row_count == 3);
}

TEST_CASE("malformed quoting is an invalid row and the next row still reads") {
    auto r = read_all("name,url\n"
                      "\"Ann\"x,u1\n"
                      "Bob,\"u2\" \"\"\n"
                      "John \"JJ\" Smith,u3\n"
                      "Joe \"a,b\" Doe,u4\n"
                      "Zed,u5\n");
    REQUIRE(r.rows.size() == 5);
    CHECK(r.rows[0].row == 2);
    CHECK(r.rows[0].error.find("column 1 \"name\"") != std::string::npos);
    CHECK(r.rows[0].error.find("closing quote") != std::string::npos);
    CHECK(r.rows[0].url.empty());
    CHECK(r.rows[1].row == 3);
    CHECK(r.rows[1].error.find("column 2 \"url\"") != std::string::npos);
    // Quotes inside an unquoted cell are literal when they hide no delimiter.
    CHECK(r.rows[2] == ok(4, "u3"));
    CHECK(r.rows[3].row == 5);
    CHECK(r.rows[3].error.find("unquoted cell") != std::string::npos);
    CHECK(r.rows[4] == ok(6, "u5"));
}

TEST_CASE("quotes after the last mapped column are still checked, and quoted delimiters there still hide") {
    auto r = read_all("url,campaign,x,y\n"
                      "u1,c1,\"ok, fine\",\"bad\"x\n"
                      "u2,c2,\"a\"\"b\",plain\n"
                      "u3,c3,x,\"\"\n"
                      "u4,c4,\"x\" y,z\n"
                      "u5,\"c,5\",\"\"\"\",\"last\"");
    REQUIRE(r.rows.size() == 5);
    CHECK(r.rows[0].row == 2);
    CHECK(r.rows[0].error.find("column 4 \"y\"") != std::string::npos);
    CHECK(r.rows[1] == ok(3, "u2", "c2"));
    CHECK(r.rows[2] == ok(4, "u3", "c3"));
    CHECK(r.rows[3].error.find("column 3 \"x\"") != std::string::npos);
    CHECK(r.rows[4] == ok(6, "u5", "c,5"));
}

TEST_CASE("cells beyond the header are neither read nor checked") {
    auto r = read_all("url,campaign\n"
                      "u1,c1,\"bad\"x,\"a\nb\"\n"
                      "u2,\"c\"\"2\",x \"y,z\" w\n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "u1", "c1"), ok(3, "u2", "c\"2")});
    CHECK(r.row_count == 3);
}

TEST_CASE("spaces and tabs around a quoted cell are trimmed before it is unescaped") {
    auto r = read_all("url,campaign\n"
                      " \t\"a,b\" \t, \"\"\"c\"\"\" \n");
    CHECK(r.rows == std::vector<row_view>{ok(2, "a,b", "\"c\"")});
}

TEST_CASE("delimiters and quotes are found at every offset of a long record") {
    // Cells of every length around the eight-byte steps of the scan.
    for (std::size_t n = 0; n < 20; ++n) {
        CAPTURE(n);
        const std::string pad(n, 'p');
        auto plain = read_all("x,url,campaign\n" + pad + ",u" + pad + ",c\n" + pad + ",\"q," + pad + "\"\n");
        CHECK(plain.rows == std::vector<row_view>{ok(2, "u" + pad, "c"), ok(3, "q," + pad)});
        auto quoted = read_all("url,x,campaign\n\"" + pad + "\"\"" + pad + "\"," + pad + ",\"" + pad + ",\"\n");
        CHECK(quoted.rows == std::vector<row_view>{ok(2, pad + "\"" + pad, pad + ",")});
    }
}

TEST_CASE("a NUL byte makes its row invalid") {
    using namespace std::string_literals;
    auto r = read_all("url\nu\0v\nw\n"s);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].row == 2);
    CHECK(r.rows[0].error.find("NUL") != std::string::npos);
    CHECK(r.rows[1] == ok(3, "w"));
}

TEST_CASE("a 1 MiB cell is read whole") {
    std::string big(1 << 20, 'x');
    std::string data = "url,notes\nu1,\"" + big + "\"\nu2," + big + "\n";
    reader_params p;
    p.read_chunk_bytes = 4096;
    auto reader = record_reader::from_string(data, p);
    record rec;
    REQUIRE(reader.next(rec));
    CHECK(rec.error.empty());
    CHECK(rec[field::url] == "u1");
    REQUIRE(reader.next(rec));
    CHECK(rec.error.empty());
    CHECK(rec.row == 3);
    CHECK_FALSE(reader.next(rec));
}

TEST_CASE("an over-long record is one invalid row and the next row still reads") {
    reader_params p;
    p.max_record_bytes = 64;
    std::string longer(200, 'y');
    auto r = read_all("url,notes\n"
                      "u1,short\n"
                      "u2," + longer + "\n"
                      "u3,\"quoted\n" + longer + "\nstill the same row\"\n"
                      "u4,ok\n",
                      p);
    REQUIRE(r.rows.size() == 4);
    CHECK(r.rows[0] == ok(2, "u1"));
    CHECK(r.rows[1].row == 3);
    CHECK(r.rows[1].error.find("203 bytes") != std::string::npos);
    CHECK(r.rows[1].error.find("limit of 64 bytes") != std::string::npos);
    CHECK(r.rows[2].row == 4);
    CHECK(r.rows[2].error.find("over the limit") != std::string::npos);
    CHECK(r.rows[3] == ok(5, "u4"));
    CHECK(r.row_count == 5);
}

TEST_CASE("the default limit is 16 MiB: one byte more is an invalid row") {
    const std::string exactly = "u1," + std::string((16 << 20) - 3, 'n');
    const std::string over = "u2," + std::string((16 << 20) - 2, 'n');
    const std::string data = "url,notes\n" + exactly + "\n" + over + "\nu3,x\n";
    auto reader = record_reader::from_string(data, {});
    record rec;
    REQUIRE(reader.next(rec));
    CHECK(rec.error.empty());
    CHECK(rec[field::url] == "u1");
    REQUIRE(reader.next(rec));
    CHECK(rec.row == 3);
    CHECK_FALSE(rec.error.empty());
    REQUIRE(reader.next(rec));
    CHECK(rec.error.empty());
    CHECK(rec[field::url] == "u3");
    CHECK(rec.row == 4);
}

TEST_CASE("header aliases are recognised for every field") {
    struct alias_case {
        std::string header;
        field f;
    };
    const std::vector<alias_case> cases{
        {"prospectProfileUrl", field::url}, {"profileUrl", field::url},
        {"linkedinUrl", field::url},        {"LinkedIn URL", field::url},
        {"LinkedIn Profile", field::url},   {"LinkedIn Profile URL", field::url},
        {"Person Linkedin Url", field::url}, {"url", field::url},
        {"PROFILE_URL", field::url},        {"linked-in url", field::url},
        {"campaignId", field::campaign},    {"Campaign ID", field::campaign},
        {"campaign", field::campaign},      {"campaign_id", field::campaign},
        {"prospectListId", field::list},    {"Prospect List ID", field::list},
        {"listId", field::list},            {"list", field::list},
        {"moveDuplicatedProspect", field::move}, {"move duplicates", field::move},
        {"Move_Duplicates", field::move},
    };
    for (const auto& c : cases) {
        CAPTURE(c.header);
        const std::string url_header = c.f == field::url ? "Name" : "url";
        auto reader = record_reader::from_string(url_header + ",\"" + c.header + "\"\nfirst,second\n", {});
        CHECK(reader.has_column(c.f));
        CHECK(reader.column_header(c.f) == c.header);
        record rec;
        REQUIRE(reader.next(rec));
        CHECK(rec[c.f] == "second");
    }
}

TEST_CASE("unrelated headers are not mapped") {
    auto reader = record_reader::from_string("Company Linkedin Url,Person Linkedin Url,Notes\nc,p,n\n", {});
    CHECK(reader.column_header(field::url) == "Person Linkedin Url");
    CHECK_FALSE(reader.has_column(field::campaign));
    CHECK_FALSE(reader.has_column(field::list));
    CHECK_FALSE(reader.has_column(field::move));
    CHECK(reader.column_header(field::list).empty());
}

TEST_CASE("with several url columns and no judge of cells, the earlier header wins") {
    auto reader = record_reader::from_string("url,LinkedIn URL,prospectProfileUrl\na,b,c\n", {});
    CHECK(reader.column_header(field::url) == "url");
    CHECK(reader.column_note(field::url) ==
          "\"url\" (column 1), chosen over \"LinkedIn URL\", \"prospectProfileUrl\": the earlier header");
    auto same = record_reader::from_string("URL,url\na,b\n", {});
    record rec;
    REQUIRE(same.next(rec));
    CHECK(rec[field::url] == "a");
}

TEST_CASE("--column maps a header and wins over detection") {
    reader_params p;
    p.columns = {{field::url, "Profile Link"}, {field::campaign, "my campaign"}};
    auto r = read_all("url,Profile Link,My_Campaign,list\nwrong,right,c,l\n", p);
    CHECK(r.rows == std::vector<row_view>{ok(2, "right", "c", "l")});
    auto reader = record_reader::from_string("url,Profile Link,My_Campaign,list\n", p);
    CHECK(reader.column_header(field::campaign) == "My_Campaign");
}

TEST_CASE("--column errors name the option and the header") {
    reader_params p;
    p.columns = {{field::list, "Liste"}};
    try {
        (void)record_reader::from_string("url,list\n", p);
        FAIL("no error");
    } catch (const input_error& e) {
        const std::string what = e.what();
        CHECK(what.find("--column list=Liste") != std::string::npos);
        CHECK(what.find("no column \"Liste\"") != std::string::npos);
        CHECK(what.find("\"url\", \"list\"") != std::string::npos);
    }
    p.columns = {{field::url, "a"}, {field::url, "b"}};
    CHECK_THROWS_WITH_AS(record_reader::from_string("a,b\n", p), doctest::Contains("mapped twice"), input_error);
    p.columns = {{field::url, "a"}, {field::list, "a"}};
    CHECK_THROWS_WITH_AS(record_reader::from_string("a,b\n", p), doctest::Contains("already mapped to url"),
                         input_error);
}

TEST_CASE("whole-file errors") {
    auto message = [](std::string_view data) -> std::string {
        reader_params p;
        p.display_name = "leads.csv";
        try {
            (void)record_reader::from_string(data, p);
        } catch (const input_error& e) {
            return e.what();
        }
        return "(no error)";
    };
    CHECK(message("") == "leads.csv is empty");
    CHECK(message("\xEF\xBB\xBF") == "leads.csv is empty");
    CHECK(message("\n\r\n,,\n") == "leads.csv has no header row (it holds only blank lines)");
    const std::string no_url = message("Name,Company\nA,B\n");
    CHECK(no_url.find("leads.csv: no profile URL column") == 0);
    CHECK(no_url.find("\"prospectProfileUrl\", \"profileUrl\"") != std::string::npos);
    CHECK(no_url.find("\"Person Linkedin Url\", \"Profile URL\", \"Profile\", \"url\"") != std::string::npos);
    CHECK(no_url.find("\"Name\", \"Company\"") != std::string::npos);
    CHECK(no_url.find("--column url=") != std::string::npos);
    CHECK(message("\x1F\x8B\x08\0\0\0") ==
          "leads.csv is gzip-compressed, not CSV: decompress it first (gunzip), or pipe it: zcat leads.csv | "
          "prospect-import [OPTIONS] -");
    CHECK(message(std::string("\xFF\xFE\0\0u\0\0\0", 8)) == "leads.csv is UTF-32 encoded: save it as CSV UTF-8");
    CHECK(message(std::string("\0\0\xFE\xFF\0\0\0u", 8)) == "leads.csv is UTF-32 encoded: save it as CSV UTF-8");
    CHECK(message(std::string("u\0r\0l\0\n\0", 8)).find("leads.csv looks UTF-16 encoded") == 0);
    CHECK(message(std::string("\0u\0r\0l\0\n", 8)).find("leads.csv looks UTF-16 encoded") == 0);
    CHECK(message(std::string("PK\x03\x04\x14\0\x06\0", 8)) ==
          "leads.csv is a ZIP archive (an Excel .xlsx workbook?), not CSV: save it as CSV UTF-8");
    CHECK(message("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").find("leads.csv is an Office document (an Excel .xls") == 0);
    CHECK(message("sep=\x01\nurl\n") ==
          "leads.csv: its first line \"sep=\x01\" names a delimiter that is not supported: use --delimiter");
    CHECK(message("url,\"open\nu\n").find("row 1 (the header): a quote never closes") != std::string::npos);
    CHECK(message("\"u\"x,list\n").find("malformed quotes in column 1") != std::string::npos);
}

TEST_CASE("the path constructor reads files and pipes") {
    prospect::test::temp_dir dir;
    const std::string data = "\xEF\xBB\xBFLinkedIn URL;Campaign ID\r\nhttps://x;c\r\n\r\n\"https://y\";\"d\"\r\n";
    const std::string path = dir / "leads.csv";
    prospect::test::write_file(path, data);

    SUBCASE("a file") {
        record_reader reader(path, {});
        CHECK(reader.delimiter() == ';');
        auto r = drain(reader);
        CHECK(r.rows == std::vector<row_view>{ok(2, "https://x", "c"), ok(4, "https://y", "d")});
        CHECK(r.row_count == 4);
        CHECK(r.bytes == data.size());
    }
    SUBCASE("a pipe") {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        REQUIRE(::write(fds[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
        ::close(fds[1]);
        record_reader reader("/dev/fd/" + std::to_string(fds[0]), {});
        ::close(fds[0]);  // the reader opened its own descriptor
        auto r = drain(reader);
        CHECK(r.rows == std::vector<row_view>{ok(2, "https://x", "c"), ok(4, "https://y", "d")});
    }
    SUBCASE("missing file and directory") {
        const std::string missing = "cannot open " + (dir / "nope.csv") + ": No such file";
        CHECK_THROWS_WITH_AS(record_reader(dir / "nope.csv", {}), doctest::Contains(missing.c_str()),
                             input_error);
        CHECK_THROWS_WITH_AS(record_reader(dir.path().string(), {}), doctest::Contains("cannot read"),
                             input_error);
    }
    SUBCASE("display name") {
        reader_params p;
        p.display_name = "the leads";
        prospect::test::write_file(dir / "empty.csv", "");
        CHECK_THROWS_WITH_AS(record_reader(dir / "empty.csv", p), "the leads is empty", input_error);
    }
}

TEST_CASE("the observer sees every input byte once, in order") {
    const std::string data = "\xEF\xBB\xBF\n\nurl,notes\r\nu1,\"a\r\nb\"\r\n\r\nu2,x";
    for (std::size_t chunk : {1, 4, 1000}) {
        CAPTURE(chunk);
        reader_params p;
        p.read_chunk_bytes = chunk;
        auto reader = record_reader::from_string(data, p);
        std::string seen;
        std::size_t calls = 0;
        reader.set_observer([&](std::string_view bytes) {
            seen.append(bytes);
            ++calls;
        });
        record rec;
        while (reader.next(rec)) CHECK(rec.error.empty());
        CHECK(seen == data);
        CHECK(reader.bytes_read() == data.size());
        CHECK(calls >= 1);
        CHECK_THROWS_AS(reader.set_observer({}), std::logic_error);
    }
}

TEST_CASE("fixtures: exports as spreadsheets write them") {
    SUBCASE("Sales Navigator style: BOM, CRLF, multi-line notes, trailing empty rows") {
        record_reader reader(prospect::test::source_path("tests/data/csv/bom_crlf_multiline_notes.csv"), {});
        auto r = drain(reader);
        REQUIRE(r.rows.size() == 3);
        CHECK(r.rows[0] == ok(2, "https://www.linkedin.com/in/jane-doe", "", "", "TRUE"));
        CHECK(r.rows[1] == ok(3, "linkedin.com/in/j%C3%B6rg", "", "", ""));
        CHECK(r.rows[2] == ok(5, "https://uk.linkedin.com/in/sam", "", "", "no"));
        CHECK(r.row_count == 7);
    }
    SUBCASE("Apollo style: semicolons, quoted everything, ragged rows") {
        record_reader reader(prospect::test::source_path("tests/data/csv/semicolon_quoted_ragged.csv"), {});
        CHECK(reader.delimiter() == ';');
        auto r = drain(reader);
        REQUIRE(r.rows.size() == 3);
        CHECK(r.rows[0] == ok(2, "http://linkedin.com/in/ann", "0f8fad5b-d9cb-469f-a165-70867728950e",
                              "7c9e6679-7425-40de-944b-e07fc1f90ae7"));
        CHECK(r.rows[1] == ok(3, "https://www.linkedin.com/in/bob/", "", ""));
        CHECK(r.rows[2].row == 4);
        CHECK(r.rows[2].error.find("never closes") != std::string::npos);
    }
}

TEST_CASE("random RFC 4180 files read back cell for cell") {
    // A deterministic generator: cells of awkward bytes, quoted when they need
    // it (and sometimes when they do not), mixed line breaks, blank rows.
    std::uint64_t state = 42;
    auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    const std::vector<std::string> pieces{"a", "Z", "7", ",", ";", "\"", "\n", "\r\n", "\r", " ", "\t",
                                          "\xC3\xA9", "https://x/in/y", "\"\""};
    auto random_value = [&](bool non_empty) {
        std::string v;
        for (std::uint64_t n = next(6) + (non_empty ? 1 : 0); n > 0; --n) v += pieces[next(pieces.size())];
        return v;
    };
    auto encode = [&](const std::string& v) {
        bool plain = v.find_first_of(",;\"\r\n") == std::string::npos && !v.empty() && v.front() != ' ' &&
                     v.front() != '\t' && v.back() != ' ' && v.back() != '\t';
        if (plain && next(3) != 0) return v;
        std::string q = "\"";
        for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    for (char sep : {',', ';'}) {
        for (int file = 0; file < 20; ++file) {
            CAPTURE(file);
            const std::string eol = next(2) ? "\r\n" : "\n";
            std::string data = std::string("notes") + sep + "url" + sep + "campaign" + eol;
            std::vector<row_view> want;
            std::size_t row = 1;
            for (int i = 0; i < 30; ++i) {
                ++row;
                if (next(8) == 0) {
                    data += next(2) ? eol : std::string(3, sep) + eol;
                    continue;
                }
                const std::string notes = random_value(false), url = random_value(true),
                                  campaign = random_value(false);
                data += encode(notes) + sep + encode(url) + sep + encode(campaign) + eol;
                want.push_back(ok(row, url, campaign));
            }
            auto r = read_all(data);
            CHECK(r.rows == want);
            CHECK(r.row_count == row);
        }
    }
}
