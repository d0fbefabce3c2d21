#include "prospect/sandbox/foreign_prospects.hpp"
#include "support/files.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;
using prospect::test::temp_dir;
using prospect::test::write_file;

TEST_CASE("foreign prospects are read one a line and kept normalized") {
    temp_dir dir;
    auto path = dir / "foreign.txt";
    write_file(path, "# another user's lists\nhttp://linkedin.com/in/jane/\n\n  https://www.linkedin.com/in/john \r\n");
    foreign_prospects f(path);
    CHECK(f.size() == 2);
    CHECK(f.contains("https://www.linkedin.com/in/jane"));
    CHECK(f.contains("https://www.linkedin.com/in/john"));
    CHECK_FALSE(f.contains("https://www.linkedin.com/in/ann"));
    CHECK_FALSE(foreign_prospects().contains("https://www.linkedin.com/in/jane"));
}

TEST_CASE("a line that is not a profile URL, or a missing file, is refused naming the file") {
    temp_dir dir;
    auto path = dir / "foreign.txt";
    write_file(path, "https://www.linkedin.com/in/jane\nhttps://www.linkedin.com/company/acme\n");
    CHECK_THROWS_WITH(foreign_prospects{path}, doctest::Contains(("--foreign-prospects " + path + ": line 2: ").c_str()));
    CHECK_THROWS_WITH(foreign_prospects{dir / "none.txt"}, doctest::Contains("--foreign-prospects "));
}
