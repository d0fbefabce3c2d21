#include "prospect/csv/field.hpp"

#include <doctest/doctest.h>

using namespace prospect::csv;

TEST_CASE("field names round-trip, in any case") {
    for (auto f : {field::url, field::campaign, field::list, field::move}) {
        CHECK(field_from_string(to_string(f)) == f);
    }
    CHECK(to_string(field::move) == "move");
    CHECK(field_from_string("URL") == field::url);
    CHECK(field_from_string("Campaign") == field::campaign);
    CHECK_FALSE(field_from_string("urls").has_value());
    CHECK_FALSE(field_from_string("").has_value());
}

TEST_CASE("header keys ignore case, spaces, '_' and '-'") {
    CHECK(normalize_header("LinkedIn Profile URL") == "linkedinprofileurl");
    CHECK(normalize_header("prospect_list-ID") == "prospectlistid");
    CHECK(normalize_header("  Url ") == "url");
    CHECK(normalize_header("J\xC3\xB6rg") == "j\xC3\xB6rg");  // non-ASCII bytes untouched
}

TEST_CASE("every field has aliases and the url aliases are docs/contract.md's") {
    CHECK(header_aliases(field::url).size() == 14);
    CHECK(header_aliases(field::url).front() == "prospectProfileUrl");
    CHECK(header_aliases(field::campaign).size() == 3);
    CHECK(header_aliases(field::list).size() == 4);
    CHECK(header_aliases(field::move).size() == 2);
}

TEST_CASE("the alias table as --help shows it lists every alias, in order, a line a field") {
    const std::string text = alias_table_text();
    for (auto f : {field::url, field::campaign, field::list, field::move}) {
        std::size_t at = text.find("  " + std::string(to_string(f)) + " ");
        REQUIRE(at != std::string::npos);
        for (auto alias : header_aliases(f)) {
            CAPTURE(alias);
            const std::size_t found = text.find(alias, at);
            REQUIRE(found != std::string::npos);
            at = found + alias.size();
        }
    }
    CHECK(text.find("LinkedIn Contact Profile URL") != std::string::npos);
    CHECK(text.find("(true/false, yes/no, 1/0)") != std::string::npos);
    for (std::size_t begin = 0, end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1)
        CHECK(end - begin <= 100);
}
