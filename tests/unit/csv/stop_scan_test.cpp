#include "prospect/csv/record_reader.hpp"
#include "prospect/csv/stop_scan.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace prospect::csv;

namespace {

constexpr scan_kind all_kinds[] = {scan_kind::portable, scan_kind::sse2, scan_kind::avx2};

stop_bits naive_mask(const char* p, char delimiter) {
    stop_bits bits;
    for (int i = 0; i < 64; ++i) {
        if (p[i] == delimiter) bits.delimiters |= std::uint64_t{1} << i;
        if (p[i] == '"') bits.quotes |= std::uint64_t{1} << i;
        if (p[i] == '\n' || p[i] == '\r' || p[i] == '\0') bits.breaks |= std::uint64_t{1} << i;
    }
    return bits;
}

// Text that is mostly stops: quotes, CR, LF, CRLF, delimiters, NUL and bytes
// above 0x7F, so that every block and every chunk boundary falls among them.
std::string random_csv(std::mt19937& rng, std::size_t size, char delimiter) {
    const std::string alphabet = std::string("ab\"\"\r\n\n ") + delimiter + delimiter + "\xC3\xA9";
    std::string s;
    while (s.size() < size) {
        if (rng() % 7 == 0) s += "\r\n";
        else s += alphabet[rng() % alphabet.size()];
    }
    return s;
}

struct rows {
    std::vector<std::string> cells;
    std::size_t count = 0;
    bool operator==(const rows&) const = default;
};

rows read(const std::string& data, scan_kind kind, std::size_t chunk, char delimiter) {
    reader_params p;
    p.delimiter = delimiter;
    p.scan = kind;
    p.read_chunk_bytes = chunk;
    auto reader = record_reader::from_string(data, p);
    rows out;
    record r;
    while (reader.next(r)) {
        out.cells.push_back(std::to_string(r.row) + "|" + std::string(r[field::url]) + "|" +
                            std::string(r[field::campaign]) + "|" + std::string(r.error));
    }
    out.count = reader.rows();
    return out;
}

}  // namespace

TEST_CASE("every scan kind finds exactly the stops of a block") {
    std::mt19937 rng(7);
    constexpr char stops_and_others[] = "\"\r\n\0,;\t|a\x80\xFF";
    const std::string alphabet(stops_and_others, sizeof stops_and_others - 1);  // the NUL inside, not the last
    char block[64];
    for (int round = 0; round < 2000; ++round) {
        const char delimiter = ",;\t|\""[round % 5];  // '"' stands in before the header is read
        for (char& c : block) c = rng() % 3 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
        const stop_bits expected = naive_mask(block, delimiter);
        for (scan_kind kind : all_kinds) {
            CAPTURE(to_string(kind));
            const stop_bits got = stop_mask_for(kind)(block, delimiter);
            CHECK(got.delimiters == expected.delimiters);
            CHECK(got.quotes == expected.quotes);
            CHECK(got.breaks == expected.breaks);
        }
    }
}

TEST_CASE("the widest kind is one the CPU runs, and off x86-64 the portable one") {
    const scan_kind best = best_scan_kind();
#if defined(__x86_64__)
    CHECK(best != scan_kind::portable);
#else
    CHECK(best == scan_kind::portable);
#endif
    CHECK((stop_mask_for(best) == stop_mask_for(scan_kind::portable)) == (best == scan_kind::portable));
}

TEST_CASE("framing gives the same records with every scan kind, chunk boundaries anywhere") {
    std::mt19937 rng(11);
    for (int round = 0; round < 60; ++round) {
        const char delimiter = round % 2 ? ';' : ',';
        const std::string data = std::string("url") + delimiter + "campaign\r\n" +
                                 random_csv(rng, 100 + rng() % 400, delimiter);
        CAPTURE(data);
        const rows expected = read(data, scan_kind::portable, 1 << 16, delimiter);
        for (scan_kind kind : all_kinds)
            for (std::size_t chunk : {1, 2, 3, 63, 64, 65, 1 << 16}) {
                CAPTURE(to_string(kind));
                CAPTURE(chunk);
                CHECK(read(data, kind, chunk, delimiter) == expected);
            }
    }
}

TEST_CASE("a CRLF split at a 64-byte block boundary is one line break") {
    for (std::size_t pad = 50; pad < 80; ++pad) {
        const std::string data = "url,campaign\r\n" + std::string(pad, 'x') + ",c\r\n\"y\r\nz\",d\r\n";
        for (scan_kind kind : all_kinds) {
            CAPTURE(pad);
            CAPTURE(to_string(kind));
            const rows got = read(data, kind, 64, ',');
            REQUIRE(got.cells.size() == 2);
            CHECK(got.cells[0] == "2|" + std::string(pad, 'x') + "|c|");
            CHECK(got.cells[1] == "3|y\r\nz|d|");
            CHECK(got.count == 3);
        }
    }
}
