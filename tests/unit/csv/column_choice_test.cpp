// Which column is which field: the full alias table, the choice between url
// columns by their first cells (and the replay of the records looked at),
// --column FIELD= to ignore a column, campaign and list columns without a UUID.
#include "prospect/csv/record_reader.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace prospect::csv;

namespace {

// Stand-ins for the lead layer's rules, enough to tell the columns apart.
reader_params judged() {
    reader_params p;
    p.is_profile_url = [](std::string_view cell) { return cell.find("linkedin.com/in/") != std::string_view::npos; };
    p.is_uuid = [](std::string_view cell) { return cell.size() == 36 && cell[8] == '-'; };
    return p;
}

struct read_row {
    std::size_t row;
    std::string url, campaign;
    bool operator==(const read_row&) const = default;
};

std::vector<read_row> drain(record_reader& reader) {
    std::vector<read_row> out;
    record r;
    while (reader.next(r)) out.push_back({r.row, std::string(r[field::url]), std::string(r[field::campaign])});
    return out;
}

std::string input_error_of(std::string_view data, reader_params p) {
    p.display_name = "leads.csv";
    try {
        (void)record_reader::from_string(data, p);
    } catch (const input_error& e) {
        return e.what();
    }
    return "(no error)";
}

const std::string uuid = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";

}  // namespace

TEST_CASE("the headers the contract adds are recognised as the url column") {
    for (std::string header : {"LinkedIn", "Profile URL", "LinkedIn Contact Profile URL", "defaultProfileUrl",
                               "linkedinProfileUrl", "Profile", "linkedin_profile_url", "PROFILE-URL"}) {
        CAPTURE(header);
        auto reader = record_reader::from_string("Name," + header + "\nJane,linkedin.com/in/jane\n", judged());
        CHECK(reader.column_header(field::url) == header);
        CHECK(reader.column_note(field::url) == "\"" + header + "\" (column 2), a recognised header");
    }
}

TEST_CASE("Phantombuster: defaultProfileUrl is chosen over a profileUrl of Sales Navigator links") {
    std::string data = "fullName,profileUrl,companyName,defaultProfileUrl\n";
    for (int i = 0; i < 1500; ++i)
        data += "P" + std::to_string(i) + ",https://www.linkedin.com/sales/lead/ACwAA" + std::to_string(i) +
                ",Acme,https://www.linkedin.com/in/p" + std::to_string(i) + "\n";
    auto reader = record_reader::from_string(data, judged());
    CHECK(reader.column_header(field::url) == "defaultProfileUrl");
    CHECK(reader.column_note(field::url) ==
          "\"defaultProfileUrl\" (column 4), chosen over \"profileUrl\": 1,000 of 1,000 cells are profile URLs "
          "against 0");
    // The records looked at are read again, every one, in order.
    auto rows = drain(reader);
    REQUIRE(rows.size() == 1500);
    CHECK(rows.front() == read_row{2, "https://www.linkedin.com/in/p0", ""});
    CHECK(rows[999].url == "https://www.linkedin.com/in/p999");
    CHECK(rows.back() == read_row{1501, "https://www.linkedin.com/in/p1499", ""});
    CHECK(reader.rows() == 1501);
}

TEST_CASE("a tie goes to the earlier header, and empty cells do not count") {
    auto reader = record_reader::from_string(
        "LinkedIn,url\nlinkedin.com/in/a,linkedin.com/in/a\n,\nlinkedin.com/in/b,x\n,linkedin.com/in/c\n",
        judged());
    CHECK(reader.column_header(field::url) == "LinkedIn");
    CHECK(reader.column_note(field::url) ==
          "\"LinkedIn\" (column 1), chosen over \"url\": 2 of 2 cells are profile URLs against 2 (a tie goes to "
          "the earlier header)");
}

TEST_CASE("the look-ahead replays exactly what it read, whatever the read size and its own limits") {
    const std::string data =
        "\xEF\xBB\xBFprofileUrl;Notes;defaultProfileUrl\r\n"
        "sales/lead/1;\"multi\r\nline; note\";linkedin.com/in/a\r\n"
        "\r\n"
        ";;\r\n"
        "sales/lead/2;\"x\"\"y\";linkedin.com/in/b\r\n"
        "sales/lead/3;\"bad\"quote;linkedin.com/in/c\r\n"
        "sales/lead/4;n;linkedin.com/in/d";
    const std::vector<read_row> expected{{2, "linkedin.com/in/a", ""},
                                         {5, "linkedin.com/in/b", ""},
                                         {6, "", ""},
                                         {7, "linkedin.com/in/d", ""}};
    const std::vector<read_row> expected_unjudged{
        {2, "sales/lead/1", ""}, {5, "sales/lead/2", ""}, {6, "", ""}, {7, "sales/lead/4", ""}};
    for (std::size_t chunk : {1, 2, 7, 4096})
        for (std::size_t records : {1, 2, 1000})
            for (std::size_t bytes : {1, 40, 1 << 20}) {
                CAPTURE(chunk);
                CAPTURE(records);
                CAPTURE(bytes);
                reader_params p = judged();
                p.read_chunk_bytes = chunk;
                p.look_ahead_records = records;
                p.look_ahead_bytes = bytes;
                auto reader = record_reader::from_string(data, p);
                std::string seen;
                reader.set_observer([&](std::string_view b) { seen += b; });
                // A budget spent before the first record leaves a tie: the earlier header.
                const bool judged_any = reader.column_header(field::url) == "defaultProfileUrl";
                CHECK((judged_any || bytes < 1000));
                CHECK(drain(reader) == (judged_any ? expected : expected_unjudged));
                CHECK(reader.rows() == 7);
                CHECK(seen == data);
                CHECK(reader.bytes_read() == data.size());
            }
}

TEST_CASE("--column url=HEADER is taken as given, without looking at the cells") {
    reader_params p = judged();
    p.columns = {{field::url, "profileUrl"}};
    auto reader = record_reader::from_string("profileUrl,defaultProfileUrl\nsales/lead/1,linkedin.com/in/a\n", p);
    CHECK(reader.column_header(field::url) == "profileUrl");
    CHECK(reader.column_note(field::url) == "\"profileUrl\" (column 1), from --column url=profileUrl");
}

TEST_CASE("a campaign column of names is a whole-file error that says how to ignore it") {
    const std::string waalaxy = "firstName,linkedinUrl,campaign\nAnn,linkedin.com/in/ann,Summer outreach\n"
                                "Bob,linkedin.com/in/bob,Summer outreach\n";
    const std::string what = input_error_of(waalaxy, judged());
    CHECK(what ==
          "leads.csv: the campaign column \"campaign\" (column 3) holds no campaign ID: none of its first 2 "
          "non-empty cells is a UUID (row 2: \"Summer outreach\"); it seems to hold names. Ignore it with "
          "--column campaign= (rows then take --campaign UUID), or name the right column with --column "
          "campaign=HEADER");

    SUBCASE("--column campaign= ignores it") {
        reader_params p = judged();
        p.columns = {{field::campaign, ""}};
        auto reader = record_reader::from_string(waalaxy, p);
        CHECK_FALSE(reader.has_column(field::campaign));
        CHECK(reader.column_note(field::campaign) == "column \"campaign\" (column 3) ignored (--column campaign=)");
        auto rows = drain(reader);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0] == read_row{2, "linkedin.com/in/ann", ""});
    }
    SUBCASE("one UUID among the names is enough: the other rows are invalid one by one") {
        CHECK(input_error_of(waalaxy + "Cy,linkedin.com/in/cy," + uuid + "\n", judged()) == "(no error)");
    }
    SUBCASE("an empty column, or one named with --column, is not judged") {
        CHECK(input_error_of("url,campaignId\nlinkedin.com/in/a,\n", judged()) == "(no error)");
        reader_params p = judged();
        p.columns = {{field::campaign, "campaign"}};
        CHECK(input_error_of(waalaxy, p) == "(no error)");
    }
    SUBCASE("a list column too") {
        CHECK(input_error_of("url,list\nlinkedin.com/in/a,Warm leads\n", judged())
                  .starts_with("leads.csv: the list column \"list\" (column 2) holds no list ID"));
    }
    SUBCASE("a long cell is cut in the message") {
        const std::string what_long =
            input_error_of("url,campaign\nlinkedin.com/in/a," + std::string(200, 'c') + "\n", judged());
        CHECK(what_long.find("\"" + std::string(57, 'c') + "...\"") != std::string::npos);
    }
}

TEST_CASE("--column FIELD= twice, or with FIELD=HEADER, is mapped twice") {
    reader_params p;
    p.columns = {{field::move, ""}, {field::move, "x"}};
    CHECK_THROWS_WITH_AS(record_reader::from_string("url,x\n", p), doctest::Contains("move is mapped twice"),
                         input_error);
}

TEST_CASE("--column url= leaves no url column: the usual error") {
    reader_params p;
    p.columns = {{field::url, ""}};
    CHECK_THROWS_WITH_AS(record_reader::from_string("url\nlinkedin.com/in/a\n", p),
                         doctest::Contains("no profile URL column"), input_error);
}
