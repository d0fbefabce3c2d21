#include "prospect/lead/cell.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>

using prospect::lead::assign_cell;
using prospect::lead::trim_cell;

TEST_CASE("trim_cell strips ASCII white space at both ends only") {
    CHECK(trim_cell("") == "");
    CHECK(trim_cell(" \t\r\n\v\f") == "");
    CHECK(trim_cell("  a b  ") == "a b");
    CHECK(trim_cell("x") == "x");
}

TEST_CASE("trim_cell strips Unicode spaces and invisible marks pasted from web pages") {
    CHECK(trim_cell("\xC2\xA0 x \xC2\xA0\xC2\xA0") == "x");             // no-break space
    CHECK(trim_cell("\xE2\x80\x8Bx\xE2\x80\x8B") == "x");               // zero-width space
    CHECK(trim_cell("\xEF\xBB\xBFx") == "x");                           // byte order mark
    CHECK(trim_cell("x\xE2\x80\x8E") == "x");                           // left-to-right mark
    CHECK(trim_cell("\xE3\x80\x80x\xE2\x80\xAF") == "x");               // ideographic, narrow no-break
    CHECK(trim_cell("\xE2\x80\x83\xE2\x81\xA0x\xE2\x81\x9F") == "x");  // em space, word joiner, math space
    CHECK(trim_cell("\xC2\xA0\xE2\x80\x8B") == "");
}

TEST_CASE("trim_cell keeps everything else") {
    CHECK(trim_cell("x\xC2\xA0y") == "x\xC2\xA0y");                 // inside the cell
    CHECK(trim_cell("\xC2") == "\xC2");                             // half a no-break space is not one
    CHECK(trim_cell("\xA0") == "\xA0");                             // nor is its last byte
    CHECK(trim_cell("j\xC3\xB6") == "j\xC3\xB6");                   // a letter ending in a continuation byte
    CHECK(trim_cell("\xE2\x80\x8C" "x") == "\xE2\x80\x8C" "x");     // zero-width non-joiner shapes text
    CHECK(trim_cell("x\xE2\x80\x8D") == "x\xE2\x80\x8D");           // nor the joiner (emoji sequences)
    CHECK(trim_cell("\xED\xA0\x80") == "\xED\xA0\x80");             // ill-formed bytes are not white space
}

// The inline form settles the usual cells itself and must agree everywhere.
TEST_CASE("trim_cell_inline agrees with trim_cell") {
    const std::string pieces[] = {"", "a", " ", "\t", "\x7F", "!", "~", "\xC2\xA0", "\xE2\x80\x8B", "\xEF\xBB\xBF",
                                  "\xC3\xA9", "\xFF", "b c"};
    for (const auto& front : pieces)
        for (const auto& middle : pieces)
            for (const auto& back : pieces) {
                const std::string s = front + middle + back;
                CAPTURE(s);
                CHECK(prospect::lead::trim_cell_inline(s) == trim_cell(s));
            }
}

TEST_CASE("assign_cell copies cells of every length into a reused string, reading only the cell") {
    std::mt19937 random(3);
    std::string to;
    for (int round = 0; round < 3; ++round)
        for (std::size_t n : {0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 80, 5, 100, 0, 64, 2}) {
            CAPTURE(n);
            // a heap block of exactly n bytes: the sanitizers see a read past it
            std::unique_ptr<char[]> cell(new char[n == 0 ? 1 : n]);
            for (std::size_t i = 0; i < n; ++i) cell[i] = static_cast<char>(random());
            assign_cell(to, std::string_view(cell.get(), n));
            CHECK(to == std::string(cell.get(), n));
        }
    assign_cell(to, std::string_view());  // an empty view with a null data()
    CHECK(to.empty());
}
