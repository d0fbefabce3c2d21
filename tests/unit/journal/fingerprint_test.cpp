#include "prospect/journal/fingerprint.hpp"

#include "support/files.hpp"

#include <doctest/doctest.h>

using namespace prospect::journal;

TEST_CASE("SHA-256 known answers (FIPS 180-2)") {
    sha256 h;
    h.update("abc");
    CHECK(to_hex(h.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(h.finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // empty, after reset
}

TEST_CASE("SHA-256 fed chunk by chunk equals one update") {
    std::string data;
    for (int i = 0; i < 5000; ++i) data += static_cast<char>(i * 31 + 7);
    sha256 whole;
    whole.update(data);
    sha256 pieces;
    for (std::size_t at = 0, step = 1; at < data.size(); at += step, step = step * 2 + 1)
        pieces.update(std::string_view(data).substr(at, step));
    CHECK(pieces.finish() == whole.finish());
}

TEST_CASE("fingerprint_file hashes the whole file, larger than one read chunk") {
    prospect::test::temp_dir dir;
    std::string data(3 * (1 << 20) + 17, 'x');
    data[12345] = 'y';
    prospect::test::write_file(dir / "in.csv", data);
    sha256 h;
    h.update(data);
    CHECK(fingerprint_file(dir / "in.csv") == h.finish());
}

TEST_CASE("fingerprint_file names an unreadable path") {
    try {
        fingerprint_file("/nonexistent/in.csv");
        FAIL("no exception");
    } catch (const std::system_error& e) {
        CHECK(std::string(e.what()).find("/nonexistent/in.csv") != std::string::npos);
    }
}

TEST_CASE("settings digest changes with every setting that changes what is sent") {
    settings_params base;
    base.campaign = "11111111-2222-3333-4444-555555555555";
    base.list = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    base.columns = {{"url", "LinkedIn URL"}, {"campaign", "Campaign ID"}};
    base.base_url = "https://api.goextrovert.com";
    const auto d = settings_digest(base);

    SUBCASE("equal settings, UUID case and column order do not matter") {
        auto same = base;
        same.campaign = "11111111-2222-3333-4444-555555555555";
        same.list = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE";
        same.columns = {{"campaign", "Campaign ID"}, {"url", "LinkedIn URL"}};
        CHECK(settings_digest(same) == d);
    }
    SUBCASE("each change is seen") {
        auto c = base;
        c.campaign = "11111111-2222-3333-4444-555555555556";
        CHECK(settings_digest(c) != d);
        c = base;
        c.list = "";
        CHECK(settings_digest(c) != d);
        c = base;
        c.move_duplicates = true;
        CHECK(settings_digest(c) != d);
        c = base;
        c.columns[0].second = "Profile URL";
        CHECK(settings_digest(c) != d);
        c = base;
        c.delimiter = ';';
        CHECK(settings_digest(c) != d);
        c = base;
        c.base_url = "https://127.0.0.1:8443";
        CHECK(settings_digest(c) != d);
    }
    SUBCASE("fields cannot bleed into each other") {
        auto a = base, b = base;
        a.campaign = "x";
        a.list = "yz";
        b.campaign = "xy";
        b.list = "z";
        CHECK(settings_digest(a) != settings_digest(b));
    }
}
