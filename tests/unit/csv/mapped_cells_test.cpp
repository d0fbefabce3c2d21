// The mapped-cells shortcut (framing notes only the delimiters around mapped
// cells, records with plain quotes skip the split) against the reference
// path that splits and checks every cell (reader_params::split_every_cell),
// on random records of quotes, delimiters, line breaks and NULs, with every
// scan kind and read sizes that put refills everywhere.
#include "prospect/csv/record_reader.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace prospect::csv;

namespace {

constexpr scan_kind all_kinds[] = {scan_kind::portable, scan_kind::sse2, scan_kind::avx2};

struct rows {
    std::vector<std::string> lines;
    std::size_t count = 0;
    bool operator==(const rows&) const = default;
};

rows read(const std::string& data, reader_params p) {
    auto reader = record_reader::from_string(data, p);
    rows out;
    record r;
    while (reader.next(r)) {
        std::string line = std::to_string(r.row);
        for (std::string_view cell : r.cells) line += "|" + std::string(cell);
        out.lines.push_back(line + "|" + std::string(r.error));
    }
    out.count = reader.rows();
    return out;
}

// A cell: usually plain or properly quoted (the shortcut's case), sometimes
// with quotes where RFC 4180 puts none, spaces around quotes, NULs.
std::string random_cell(std::mt19937& rng, char sep) {
    const std::string pieces[] = {"a", "bc", "https://x/in/y", std::string(1, sep), "\"", "\"\"", "\r", "\n",
                                  "\r\n", " ", "\t", "\xC3\xA9", std::string(70, 'w')};
    std::string text;
    for (auto n = rng() % 5; n > 0; --n) text += pieces[rng() % std::size(pieces)];
    switch (rng() % 8) {
    case 0: case 1: case 2: {  // quoted, RFC 4180
        std::string q = "\"";
        for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    }
    case 3: return " \"" + text + "\" ";  // spaces around the quotes
    case 4: return "\"x\"" + text;        // text after the closing quote
    case 5: return std::string(1, '\0') + "n";
    default: {  // plain, unless the pieces hold a stop
        std::string plain;
        for (char c : text)
            if (c != '"' && c != '\r' && c != '\n' && c != sep) plain += c;
        return plain;
    }
    }
}

std::string random_file(std::mt19937& rng, char sep, std::size_t columns) {
    const std::string names[] = {"url", "campaignId", "prospectListId", "moveDuplicatedProspect"};
    std::vector<std::string> header;
    for (std::size_t c = 0; c < columns; ++c) header.push_back("x" + std::to_string(c));
    for (const std::string& name : names)
        if (rng() % 4 != 0) header[rng() % columns] = name;
    if (std::find(header.begin(), header.end(), "url") == header.end()) header[rng() % columns] = "url";
    std::string data;
    for (std::size_t c = 0; c < columns; ++c) data += (c ? std::string(1, sep) : "") + header[c];
    const std::string eols[] = {"\n", "\r\n", "\r"};
    const std::string eol = eols[rng() % 3];
    data += eol;
    for (auto records = 5 + rng() % 40; records > 0; --records) {
        const std::size_t cells = rng() % 6 == 0 ? rng() % (columns + 3) : columns;  // short and long rows too
        for (std::size_t c = 0; c < cells; ++c) data += (c ? std::string(1, sep) : "") + random_cell(rng, sep);
        data += rng() % 10 == 0 ? eols[rng() % 3] : eol;
    }
    if (rng() % 2) data.resize(data.size() - 1);  // a last line without its line break, or cut in a CRLF
    return data;
}

}  // namespace

TEST_CASE("the mapped cells read as the reference split reads them, chunk boundaries anywhere") {
    std::mt19937 rng(2026);
    for (int round = 0; round < 300; ++round) {
        const char sep = ",;\t|"[round % 4];
        const std::string data = random_file(rng, sep, 1 + rng() % 20);
        CAPTURE(round);
        CAPTURE(data);
        reader_params reference;
        reference.delimiter = sep;
        reference.split_every_cell = true;
        reference.scan = scan_kind::portable;
        const rows expected = read(data, reference);
        for (scan_kind kind : all_kinds)
            for (std::size_t chunk : {1, 2, 3, 7, 63, 64, 65, 1 << 16}) {
                CAPTURE(to_string(kind));
                CAPTURE(chunk);
                reader_params p;
                p.delimiter = sep;
                p.scan = kind;
                p.read_chunk_bytes = chunk;
                CHECK(read(data, p) == expected);
            }
    }
}

TEST_CASE("a quote that is not plain anywhere in the row sends it to the full check") {
    // The shortcut never looks at column 3; its bad quotes must still make the row an error.
    auto got = read("url,campaign,x\nu1,c1,\"a\"b\nu2,c2, \"b\"\nu3,c3,a\"b\"\nu4,\"c\"\"4\",\"\"\"\"\n", {});
    CHECK(got.lines == std::vector<std::string>{
                           "2||||" "|malformed quotes in column 3 \"x\": text follows the closing quote",
                           "3|u2|c2|||", "4|u3|c3|||", "5|u4|c\"4|||"});
}

TEST_CASE("the first and last columns, and short rows, from the noted delimiters") {
    auto got = read("url,a,b,campaign\r\n\"u,1\",x,y,c1\r\nu2,x\r\nu3,x,y,\r\n\"u4\r\nz\",,,\"c\"\"4\"", {});
    CHECK(got.lines == std::vector<std::string>{"2|u,1|c1|||", "3|u2||||", "4|u3||||", "5|u4\r\nz|c\"4|||"});
    CHECK(got.count == 5);
}
