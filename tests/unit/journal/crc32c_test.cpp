#include "prospect/journal/crc32c.hpp"

#include <doctest/doctest.h>
#include <string>

using prospect::journal::crc32c;

TEST_CASE("CRC-32C known answers (RFC 3720 B.4)") {
    CHECK(crc32c("123456789") == 0xE3069283u);
    CHECK(crc32c(std::string(32, '\0')) == 0x8A9136AAu);
    CHECK(crc32c(std::string(32, '\xFF')) == 0x62A8AB43u);
    CHECK(crc32c("") == 0u);
}

TEST_CASE("CRC-32C continues across pieces") {
    CHECK(crc32c("6789", crc32c("12345")) == crc32c("123456789"));
}
