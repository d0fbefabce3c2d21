#include "prospect/sandbox/stats.hpp"

#include <doctest/doctest.h>

using namespace prospect::sandbox;

TEST_CASE("counts by status and drops, in JSON") {
    request_stats s;
    std::string json;
    s.append_json(json);
    CHECK(json == "{\"requests\":0,\"byStatus\":{},\"dropped\":0}");
    s.count(201);
    s.count(201);
    s.count(429);
    s.count_drop();
    CHECK(s.of(201) == 2);
    CHECK(s.total() == 4);
    json.clear();
    s.append_json(json);
    CHECK(json == "{\"requests\":4,\"byStatus\":{\"201\":2,\"429\":1},\"dropped\":1}");
}
