#include "prospect/net/bulk_answer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace prospect::net;
using prospect::policy::outcome;

namespace {

const std::string jane = "https://www.linkedin.com/in/jane";
const std::string john = "https://www.linkedin.com/in/john";
const std::string ann = "https://www.linkedin.com/in/ann";
const std::string bob = "https://www.linkedin.com/in/bob";
const std::string eve = "https://www.linkedin.com/in/eve";
const std::string campaign_x = "11111111-2222-3333-4444-555555555555";
const std::string campaign_y = "66666666-7777-8888-9999-000000000000";

std::string quoted(const std::vector<std::string>& urls) {
    std::string out = "[";
    for (const auto& u : urls) out += (out.size() > 1 ? ",\"" : "\"") + u + "\"";
    return out + "]";
}

struct arrays {
    std::vector<std::string> submitted, rejected, out_of_limit;
    std::string existed = "{}";
    std::string limits = R"("totalUrlsLimit":5000,"perMonthUrlsLimit":1000)";
};

std::string answer(const arrays& a) {
    return R"({"status":"success","data":{"listId":"cf33282b-b171-4d23-ae02-848499d793e4","submittedUrls":)" +
           quoted(a.submitted) + R"(,"validationRejectedUrls":)" + quoted(a.rejected) +
           R"(,"existedUrlsMap":)" + a.existed + R"(,"outOfLimitUrls":)" + quoted(a.out_of_limit) +
           (a.limits.empty() ? "" : "," + a.limits) + R"(},"message":"Operation completed successfully"})";
}

std::vector<std::string_view> views(const std::vector<std::string>& urls) { return {urls.begin(), urls.end()}; }

bulk_answer read(const std::string& body, const std::vector<std::string>& sent) {
    bulk_answer_parser parser;
    bulk_answer out;
    auto v = views(sent);
    bool ok = parser.parse(body, v, out);
    CHECK(ok == out.ok());
    return out;
}

}  // namespace

TEST_CASE("each place in the answer gives its outcome and message, and a URL in none is already in this list") {
    arrays a;
    a.submitted = {jane};
    a.rejected = {john};
    a.existed = R"({")" + campaign_x + R"(":[")" + ann + R"("]})";
    a.out_of_limit = {bob};
    auto out = read(answer(a), {jane, john, ann, bob, eve});
    REQUIRE(out.ok());
    REQUIRE(out.rows.size() == 5);
    CHECK(out.rows[0].result == outcome::added);
    CHECK(out.rows[0].placement == bulk_placement::submitted);
    CHECK(out.rows[0].message == "");
    CHECK(out.rows[1].result == outcome::rejected);
    CHECK(out.rows[1].message == "the API rejected the URL");
    CHECK(out.rows[2].result == outcome::rejected);
    CHECK(out.rows[2].placement == bulk_placement::existed);
    CHECK(out.rows[2].message == "already a prospect in campaign " + campaign_x + ", not moved");
    CHECK(out.rows[3].result == outcome::not_sent);
    CHECK(out.rows[3].placement == bulk_placement::out_of_limit);
    CHECK(out.rows[3].message == "the plan's URL limit is reached (5000 URLs in all, 1000 URLs a month)");
    CHECK(out.rows[4].result == outcome::added);
    CHECK(out.rows[4].placement == bulk_placement::unlisted);
    CHECK(out.rows[4].message == "already in this list");
    CHECK(out.out_of_limit);
    CHECK(out.limit_message == out.rows[3].message);
}

TEST_CASE("empty arrays: every row is already in this list, and the run may go on") {
    auto out = read(answer({}), {jane, john});
    REQUIRE(out.ok());
    REQUIRE(out.rows.size() == 2);
    for (const auto& row : out.rows) {
        CHECK(row.result == outcome::added);
        CHECK(row.message == "already in this list");
    }
    CHECK_FALSE(out.out_of_limit);
    CHECK(out.limit_message.empty());
}

TEST_CASE("an echo in another form of the same URL is matched by its normalized form") {
    arrays a;
    a.submitted = {"http://linkedin.com/in/Jane/", "HTTPS://WWW.LINKEDIN.COM/IN/JOHN"};
    a.rejected = {"linkedin.com/in/ann?trk=public_profile"};
    a.out_of_limit = {"https://uk.linkedin.com/in/bob/"};
    auto out = read(answer(a), {jane, john, ann, bob, eve});
    REQUIRE(out.ok());
    REQUIRE(out.rows.size() == 5);
    CHECK(out.rows[0].placement == bulk_placement::submitted);
    CHECK(out.rows[1].placement == bulk_placement::submitted);
    CHECK(out.rows[2].placement == bulk_placement::rejected);
    CHECK(out.rows[3].placement == bulk_placement::out_of_limit);
    CHECK(out.rows[4].placement == bulk_placement::unlisted);
}

TEST_CASE("a URL the batch never sent, or one that is no profile URL, changes nothing") {
    arrays a;
    a.submitted = {"https://www.linkedin.com/in/stranger", "not a url", "", "https://example.com/in/jane"};
    a.rejected = {"https://www.linkedin.com/company/jane"};
    a.existed = R"({")" + campaign_x + R"(":["https://www.linkedin.com/in/someone-else"]})";
    auto out = read(answer(a), {jane, john});
    REQUIRE(out.ok());
    REQUIRE(out.rows.size() == 2);
    for (const auto& row : out.rows) CHECK(row.placement == bulk_placement::unlisted);
    CHECK_FALSE(out.out_of_limit);
}

TEST_CASE("a URL the answer repeats takes the worst place: out of limit, rejected, existed, submitted") {
    SUBCASE("submitted and rejected") {
        arrays a;
        a.submitted = {jane};
        a.rejected = {"http://linkedin.com/in/jane"};
        auto out = read(answer(a), {jane});
        REQUIRE(out.rows.size() == 1);
        CHECK(out.rows[0].result == outcome::rejected);
        CHECK(out.rows[0].message == "the API rejected the URL");
    }
    SUBCASE("submitted and existed") {
        arrays a;
        a.submitted = {jane};
        a.existed = R"({")" + campaign_x + R"(":[")" + jane + R"("]})";
        auto out = read(answer(a), {jane});
        REQUIRE(out.rows.size() == 1);
        CHECK(out.rows[0].result == outcome::rejected);
        CHECK(out.rows[0].placement == bulk_placement::existed);
    }
    SUBCASE("existed and rejected") {
        arrays a;
        a.rejected = {jane};
        a.existed = R"({")" + campaign_x + R"(":[")" + jane + R"("]})";
        auto out = read(answer(a), {jane});
        REQUIRE(out.rows.size() == 1);
        CHECK(out.rows[0].placement == bulk_placement::rejected);
        CHECK(out.rows[0].message == "the API rejected the URL");
    }
    SUBCASE("rejected and out of limit") {
        arrays a;
        a.rejected = {jane};
        a.out_of_limit = {jane};
        a.submitted = {jane};
        auto out = read(answer(a), {jane});
        REQUIRE(out.rows.size() == 1);
        CHECK(out.rows[0].result == outcome::not_sent);
        CHECK(out.out_of_limit);
    }
    SUBCASE("twice in one array, and in two campaigns: the first campaign named") {
        arrays a;
        a.submitted = {jane, jane};
        a.existed = R"({")" + campaign_x + R"(":[")" + john + R"("],")" + campaign_y + R"(":[")" + john + R"("]})";
        auto out = read(answer(a), {jane, john});
        REQUIRE(out.rows.size() == 2);
        CHECK(out.rows[0].placement == bulk_placement::submitted);
        CHECK(out.rows[1].message == "already a prospect in campaign " + campaign_x + ", not moved");
    }
}

TEST_CASE("rows that share a URL share its answer") {
    arrays a;
    a.rejected = {john};
    auto out = read(answer(a), {john, jane, john});
    REQUIRE(out.rows.size() == 3);
    CHECK(out.rows[0].result == outcome::rejected);
    CHECK(out.rows[1].result == outcome::added);
    CHECK(out.rows[2].result == outcome::rejected);
}

TEST_CASE("out of limit: the message gives the limits the answer has") {
    arrays a;
    a.out_of_limit = {jane};
    SUBCASE("both") {
        auto out = read(answer(a), {jane, john});
        CHECK(out.limit_message == "the plan's URL limit is reached (5000 URLs in all, 1000 URLs a month)");
        CHECK(out.rows[1].result == outcome::added);
    }
    SUBCASE("one of them") {
        a.limits = R"("totalUrlsLimit":null,"perMonthUrlsLimit":250)";
        auto out = read(answer(a), {jane});
        CHECK(out.limit_message == "the plan's URL limit is reached (250 URLs a month)");
    }
    SUBCASE("none") {
        a.limits = "";
        auto out = read(answer(a), {jane});
        CHECK(out.rows[0].message == "the plan's URL limit is reached");
    }
    SUBCASE("a URL the batch did not send still says the limit is reached") {
        a.out_of_limit = {"https://www.linkedin.com/in/stranger"};
        auto out = read(answer(a), {jane});
        CHECK(out.out_of_limit);
        CHECK(out.rows[0].result == outcome::added);
    }
}

TEST_CASE("a campaign key is cut and cleaned before it goes into a message") {
    arrays a;
    a.existed = R"({"line\nbreak )" + std::string(300, 'x') + R"(":[")" + jane + R"("]})";
    auto out = read(answer(a), {jane});
    REQUIRE(out.rows.size() == 1);
    CHECK(out.rows[0].message.find('\n') == std::string::npos);
    CHECK(out.rows[0].message.size() < 200);
    CHECK(out.rows[0].message.rfind("already a prospect in campaign line break x", 0) == 0);
}

TEST_CASE("a malformed answer is an error value with no row answered") {
    const std::string good = answer({});
    const std::string malformed[] = {
        "",
        "<html><title>502 Bad Gateway</title></html>",
        "[1,2]",
        R"({"status":"success"})",
        R"({"status":"success","data":null})",
        R"({"status":"error","data":{"submittedUrls":[],"validationRejectedUrls":[],"existedUrlsMap":{},"outOfLimitUrls":[]}})",
        R"({"data":{"validationRejectedUrls":[],"existedUrlsMap":{},"outOfLimitUrls":[]}})",
        R"({"data":{"submittedUrls":[1],"validationRejectedUrls":[],"existedUrlsMap":{},"outOfLimitUrls":[]}})",
        R"({"data":{"submittedUrls":"x","validationRejectedUrls":[],"existedUrlsMap":{},"outOfLimitUrls":[]}})",
        R"({"data":{"submittedUrls":[],"validationRejectedUrls":null,"existedUrlsMap":{},"outOfLimitUrls":[]}})",
        R"({"data":{"submittedUrls":[],"validationRejectedUrls":[],"existedUrlsMap":[],"outOfLimitUrls":[]}})",
        R"({"data":{"submittedUrls":[],"validationRejectedUrls":[],"existedUrlsMap":{"c":"x"},"outOfLimitUrls":[]}})",
        R"({"data":{"submittedUrls":[],"validationRejectedUrls":[],"existedUrlsMap":{}}})",
        good.substr(0, good.size() - 1),
    };
    bulk_answer_parser parser;
    bulk_answer out;
    std::vector<std::string> sent = {jane, john};
    auto v = views(sent);
    for (const auto& body : malformed) {
        CAPTURE(body);
        // What the previous answer left must not survive a malformed one.
        REQUIRE(parser.parse(good, v, out));
        CHECK(out.rows.size() == 2);
        CHECK_FALSE(parser.parse(body, v, out));
        CHECK_FALSE(out.ok());
        CHECK(out.rows.empty());
        CHECK_FALSE(out.out_of_limit);
        CHECK_FALSE(out.problem.empty());
    }
}

TEST_CASE("the problem names what is wrong") {
    CHECK(read("nope", {jane}).problem == "the answer to the batch is not JSON");
    CHECK(read(R"({"status":"success","data":{}})", {jane}).problem ==
          "\"data.submittedUrls\" of the answer is not an array of strings");
    CHECK(read(R"({"message":"x"})", {jane}).problem == "the answer to the batch has no \"data\" object");
}

TEST_CASE("the parser is reused: a smaller batch after a larger one has its own rows only") {
    bulk_answer_parser parser;
    bulk_answer out;
    std::vector<std::string> first = {jane, john, ann};
    arrays a;
    a.rejected = {jane, john, ann};
    REQUIRE(parser.parse(answer(a), views(first), out));
    CHECK(out.rows.size() == 3);
    std::vector<std::string> second = {bob};
    arrays b;
    b.submitted = {bob};
    REQUIRE(parser.parse(answer(b), views(second), out));
    REQUIRE(out.rows.size() == 1);
    CHECK(out.rows[0].result == outcome::added);
    CHECK(out.rows[0].message == "");
    std::vector<std::string> none;
    REQUIRE(parser.parse(answer({}), views(none), out));
    CHECK(out.rows.empty());
}

TEST_CASE("a thousand-URL batch is matched row by row") {
    std::vector<std::string> sent;
    arrays a;
    for (int i = 0; i < 1000; ++i) {
        sent.push_back("https://www.linkedin.com/in/u" + std::to_string(i));
        if (i % 3 == 0) a.submitted.push_back("http://linkedin.com/in/U" + std::to_string(i) + "/");
        if (i % 3 == 1) a.rejected.push_back(sent.back());
    }
    auto out = read(answer(a), sent);
    REQUIRE(out.rows.size() == 1000);
    for (int i = 0; i < 1000; ++i) {
        CAPTURE(i);
        auto expected = i % 3 == 0 ? bulk_placement::submitted
                        : i % 3 == 1 ? bulk_placement::rejected
                                     : bulk_placement::unlisted;
        CHECK(out.rows[i].placement == expected);
    }
}
