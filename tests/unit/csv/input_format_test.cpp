// What the input is before it is CSV: UTF-16 by its BOM, --encoding, bytes
// that do not decode, a Ctrl-Z at the end, streams read once, and a regular
// file that changes while it is read.
#include "prospect/csv/record_reader.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace prospect::csv;

namespace {

std::vector<std::string> urls(record_reader& reader) {
    std::vector<std::string> out;
    record r;
    while (reader.next(r)) out.emplace_back(r.error.empty() ? r[field::url] : "error: " + std::string(r.error));
    return out;
}

std::vector<std::string> urls_of(std::string_view data, reader_params p = {}) {
    std::vector<std::string> first;
    for (std::size_t chunk : {1, 3, 1 << 16}) {
        CAPTURE(chunk);
        p.read_chunk_bytes = chunk;
        auto reader = record_reader::from_string(data, p);
        auto got = urls(reader);
        if (chunk == 1) first = got;
        CHECK(got == first);
    }
    return first;
}

std::string utf16(std::string_view ascii_or_utf8, bool big_endian) {
    std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
    for (std::size_t i = 0; i < ascii_or_utf8.size(); ++i) {
        unsigned code = static_cast<unsigned char>(ascii_or_utf8[i]);
        if (code == 0xC3) code = 0xC0 | (static_cast<unsigned char>(ascii_or_utf8[++i]) & 0x3F);  // Latin-1 range
        const char hi = static_cast<char>(code >> 8), lo = static_cast<char>(code & 0xFF);
        out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
    }
    return out;
}

}  // namespace

TEST_CASE("UTF-16 with a BOM (Excel's Unicode Text, tab-separated) is decoded as it is read") {
    const std::string text = "Name\tLinkedIn URL\r\nJ\xC3\xB6rg\tlinkedin.com/in/j\xC3\xB6rg\r\nAnn\tlinkedin.com/in/ann\r\n";
    for (bool be : {false, true}) {
        CAPTURE(be);
        const std::string data = utf16(text, be);
        CHECK(urls_of(data) == std::vector<std::string>{"linkedin.com/in/j\xC3\xB6rg", "linkedin.com/in/ann"});
        auto reader = record_reader::from_string(data, {});
        CHECK(reader.delimiter() == '\t');
        CHECK(reader.input_encoding() == encoding::utf16);
        CHECK(reader.encoding_chosen());
        CHECK(reader.header().front() == "Name");
        (void)urls(reader);
        CHECK(reader.bytes_read() == data.size());  // input bytes, for the progress estimate
    }
}

TEST_CASE("--encoding utf-16 reads UTF-16 without a BOM, which without it is a whole-file error") {
    std::string le;
    for (char c : std::string("url\nlinkedin.com/in/a\n")) le += std::string{c, '\0'};
    reader_params p;
    p.encoding = encoding::utf16;
    CHECK(urls_of(le, p) == std::vector<std::string>{"linkedin.com/in/a"});
    CHECK(urls_of(std::string(1, '\0') + le.substr(0, le.size() - 1), p) ==
          std::vector<std::string>{"linkedin.com/in/a"});  // big-endian
    CHECK_THROWS_WITH_AS(record_reader::from_string(le, {}), doctest::Contains("or give --encoding utf-16"),
                         input_error);
}

TEST_CASE("UTF-16 that does not decode becomes U+FFFD and the rows after it still read") {
    // A lone high surrogate in row 2, then a row, then an odd last byte.
    std::string data = utf16("url\n", false) + std::string("x\0\0\xD8\n\0", 6) +
                       std::string("b\0\n\0", 4) + "c";
    CHECK(urls_of(data) == std::vector<std::string>{"x\xEF\xBF\xBD", "b", "\xEF\xBF\xBD"});
}

TEST_CASE("--encoding windows-1252 and latin1 decode 8-bit files, and a BOM wins over --encoding") {
    const std::string cp1252 = "url,name\nlinkedin.com/in/j\xF6rg,\x80uro\n";
    reader_params p;
    p.encoding = encoding::windows_1252;
    auto reader = record_reader::from_string(cp1252, p);
    record r;
    REQUIRE(reader.next(r));
    CHECK(r[field::url] == "linkedin.com/in/j\xC3\xB6rg");
    CHECK(reader.input_encoding() == encoding::windows_1252);
    CHECK(urls_of("url\n\x81\n", p) == std::vector<std::string>{"\xEF\xBF\xBD"});  // undefined in Windows-1252

    p.encoding = encoding::latin1;
    CHECK(urls_of("url\nj\xF6rg \xA0\n", p) == std::vector<std::string>{"j\xC3\xB6rg \xC2\xA0"});
    CHECK(urls_of("\xEF\xBB\xBFurl\nj\xC3\xB6rg\n", p) == std::vector<std::string>{"j\xC3\xB6rg"});
}

TEST_CASE("without --encoding, an 8-bit file is read as UTF-8 and its bytes reach the cells unchanged") {
    auto reader = record_reader::from_string("url\nj\xF6rg\n", {});
    CHECK(reader.input_encoding() == encoding::utf8);
    CHECK_FALSE(reader.encoding_chosen());
    CHECK(urls(reader) == std::vector<std::string>{"j\xF6rg"});
}

TEST_CASE("encoding names") {
    CHECK(encoding_from_string("UTF-8") == encoding::utf8);
    CHECK(encoding_from_string("utf16") == encoding::utf16);
    CHECK(encoding_from_string("Windows-1252") == encoding::windows_1252);
    CHECK(encoding_from_string("cp1252") == encoding::windows_1252);
    CHECK(encoding_from_string("latin1") == encoding::latin1);
    CHECK(encoding_from_string("iso-8859-1") == encoding::latin1);
    CHECK_FALSE(encoding_from_string("ebcdic").has_value());
    for (auto e : {encoding::utf8, encoding::utf16, encoding::windows_1252, encoding::latin1})
        CHECK(encoding_from_string(to_string(e)) == e);
}

TEST_CASE("a Ctrl-Z alone on the last line is not a row, elsewhere it is one") {
    CHECK(urls_of("url\r\nlinkedin.com/in/a\r\n\x1A") == std::vector<std::string>{"linkedin.com/in/a"});
    CHECK(urls_of("url\nlinkedin.com/in/a\n\x1A\n") == std::vector<std::string>{"linkedin.com/in/a"});
    CHECK(urls_of("url\n\x1A\nlinkedin.com/in/a\n") == std::vector<std::string>{"\x1A", "linkedin.com/in/a"});
    auto reader = record_reader::from_string("url\nu\n\x1A", {});
    (void)urls(reader);
    CHECK(reader.rows() == 2);
}

TEST_CASE("a regular file has a size, a pipe is read as a stream, once") {
    prospect::test::temp_dir dir;
    const std::string data = "url\nlinkedin.com/in/a\nlinkedin.com/in/b\n";
    prospect::test::write_file(dir / "leads.csv", data);
    record_reader file(dir / "leads.csv", {});
    CHECK(file.input_is_regular_file());
    CHECK(file.input_size() == data.size());

    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::write(fds[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
    ::close(fds[1]);
    record_reader pipe("/dev/fd/" + std::to_string(fds[0]), {});
    ::close(fds[0]);
    CHECK_FALSE(pipe.input_is_regular_file());
    CHECK_FALSE(pipe.input_size().has_value());
    CHECK(urls(pipe) == std::vector<std::string>{"linkedin.com/in/a", "linkedin.com/in/b"});
    CHECK(pipe.bytes_read() == data.size());
}

TEST_CASE("a regular file that changes while it is read throws input_changed naming it") {
    prospect::test::temp_dir dir;
    const std::string path = dir / "leads.csv";
    std::string data = "url\n";
    for (int i = 0; i < 200; ++i) data += "linkedin.com/in/p" + std::to_string(1000 + i) + "\n";
    prospect::test::write_file(path, data);
    reader_params p;
    p.read_chunk_bytes = 64;
    p.change_check_bytes = 256;

    auto read_after = [&](auto&& change) -> std::string {
        record_reader reader(path, p);
        record r;
        for (int i = 0; i < 3; ++i) REQUIRE(reader.next(r));
        change();
        try {
            while (reader.next(r)) {
            }
        } catch (const input_changed& e) {
            return e.what();
        }
        return "(not detected)";
    };
    SUBCASE("rows appended") {
        auto what = read_after([&] {
            std::FILE* f = std::fopen(path.c_str(), "a");
            std::fputs("linkedin.com/in/late\n", f);
            std::fclose(f);
        });
        CHECK(what.starts_with(path + " changed while it was being read: it grew from 4,404 to 4,425 bytes"));
    }
    SUBCASE("truncated") {
        auto what = read_after([&] { REQUIRE(::truncate(path.c_str(), 2000) == 0); });
        CHECK(what.starts_with(path + " changed while it was being read: it shrank from 4,404 to 2,000 bytes"));
    }
    SUBCASE("rewritten in place, same size") {
        auto what = read_after([&] {
            int fd = ::open(path.c_str(), O_WRONLY);
            REQUIRE(fd >= 0);
            REQUIRE(::pwrite(fd, "X", 1, 3000) == 1);
            const timespec later[2] = {{0, UTIME_OMIT}, {4'000'000'000, 0}};
            REQUIRE(::futimens(fd, later) == 0);
            ::close(fd);
        });
        CHECK(what.starts_with(path + " changed while it was being read: it was modified (same size, 4,404 bytes"));
    }
    SUBCASE("unchanged: read to the end") {
        CHECK(read_after([] {}) == "(not detected)");
    }
}

TEST_CASE("issue 11: bytes consumed follow the records returned, not the chunk read ahead") {
    std::string data = "url\n";
    for (int i = 0; i < 1000; ++i) data += "linkedin.com/in/lead-" + std::to_string(1000 + i) + "\n";
    auto reader = record_reader::from_string(data, {});
    record r;
    REQUIRE(reader.next(r));
    CHECK(reader.bytes_read() == data.size());  // a small input is read whole at once
    const std::size_t one_row = std::string("linkedin.com/in/lead-1000\n").size();
    CHECK(reader.bytes_consumed() == 4 + one_row);
    for (int i = 1; i < 500; ++i) REQUIRE(reader.next(r));
    CHECK(reader.bytes_consumed() == 4 + 500 * one_row);
    while (reader.next(r)) {}
    CHECK(reader.bytes_consumed() == data.size());
}
