#include "prospect/report/csv_cell.hpp"

#include "csv_reference.hpp"

#include <doctest/doctest.h>
#include <memory>

using namespace prospect::report;
using prospect::report::test::random_cells;
using prospect::report::test::reference_cell;

namespace {

// The cell in a heap block of its own size and the output in one of exactly
// cell_bound() bytes, so that a sanitized build catches a read or a write
// past either.
std::string written(std::string_view cell) {
    auto in = std::make_unique<char[]>(cell.size());
    std::copy(cell.begin(), cell.end(), in.get());
    const std::size_t room = cell_bound(cell.size());
    auto out = std::make_unique<char[]>(room);
    char* end = write_cell(out.get(), {in.get(), cell.size()});
    REQUIRE(end >= out.get());
    REQUIRE(static_cast<std::size_t>(end - out.get()) <= room);
    return {out.get(), end};
}

bool plain(std::string_view cell) {
    auto in = std::make_unique<char[]>(cell.size());
    std::copy(cell.begin(), cell.end(), in.get());
    return cell_is_plain({in.get(), cell.size()});
}

}  // namespace

TEST_CASE("write_cell and cell_is_plain agree with the byte-by-byte rules on random cells") {
    random_cells cells(11);
    for (int round = 0; round < 20000; ++round) {
        const std::string cell = cells.cell(round % 4 ? 40 : 140);
        const std::string expected = reference_cell(cell);
        CAPTURE(cell);
        CHECK(written(cell) == expected);
        CHECK(plain(cell) == (expected == cell));
    }
}

TEST_CASE("a special byte is found at every place of a 16-byte step and in the tail") {
    for (std::size_t size : {1u, 15u, 16u, 17u, 31u, 32u, 33u, 47u, 48u, 63u, 64u, 65u}) {
        for (std::size_t at = 0; at < size; ++at) {
            for (std::string_view special : {",", "\"", "\r", "\n", "\xFF", "\xC3\xA9"}) {
                std::string cell(size, 'x');
                cell.replace(at, 1, special);
                CAPTURE(size);
                CAPTURE(at);
                CAPTURE(special);
                CHECK(written(cell) == reference_cell(cell));
                CHECK(plain(cell) == (reference_cell(cell) == cell));
            }
        }
    }
}

TEST_CASE("cells that are plain by the rules are plain, and the others are not") {
    CHECK(plain(""));
    CHECK(plain("https://www.linkedin.com/in/j%C3%B6rg-doe-0"));
    CHECK(plain("8d256aa6-9b12-49a7-93ee-bf41634b5b60"));
    CHECK(plain("J\xC3\xB6rg a=b ;|'"));
    CHECK_FALSE(plain("a,b"));
    CHECK_FALSE(plain("-1"));
    CHECK_FALSE(plain("\tx"));
    CHECK_FALSE(plain("J\xF6rg"));
    CHECK_FALSE(plain(std::string(100, 'x') + "\xC3"));
}

TEST_CASE("the worst cells fill their bound and stay within it") {
    // every byte replaced, behind a formula guard and quotes
    const std::string bad = "=" + std::string(50, '\xFF') + ",";
    CHECK(written(bad) == reference_cell(bad));
    const std::string quotes(60, '"');
    CHECK(written(quotes) == "\"" + std::string(120, '"') + "\"");
    const std::string replaced(70, '\x80');
    CHECK(written(replaced).size() == 3 * replaced.size());
}

// Bytes below '-' send a cell of 16 bytes or more to the exact compares:
// such a byte that needs no quotes leaves the cell plain, wherever it is,
// and one that does is found beside it.
TEST_CASE("bytes below '-' that need no quotes keep a cell plain, beside ones that do") {
    for (std::size_t size : {16u, 17u, 31u, 32u, 33u, 50u, 64u, 65u}) {
        for (std::size_t at = 1; at < size; ++at) {
            for (char low : {'%', ' ', '&', '+', '\0', '\t', '#'}) {
                std::string cell(size, 'x');
                cell[at] = low;
                CAPTURE(size);
                CAPTURE(at);
                CAPTURE(static_cast<int>(low));
                CHECK(plain(cell));
                CHECK(written(cell) == cell);
                cell[size - 1 - (at == size - 1)] = ',';
                CHECK_FALSE(plain(cell));
                CHECK(written(cell) == reference_cell(cell));
            }
        }
    }
}

TEST_CASE("put copies cells of every length from blocks of their own size") {
    for (std::size_t size = 0; size <= 100; ++size) {
        auto in = std::make_unique<char[]>(size);
        for (std::size_t i = 0; i < size; ++i) in[i] = static_cast<char>('a' + i % 26);
        const std::string_view cell(in.get(), size);
        auto out = std::make_unique<char[]>(size + 2);
        out[0] = out[size + 1] = '|';
        CAPTURE(size);
        CHECK(put(out.get() + 1, cell) == out.get() + 1 + size);
        CHECK(std::string_view(out.get(), size + 2) == "|" + std::string(cell) + "|");
    }
}
