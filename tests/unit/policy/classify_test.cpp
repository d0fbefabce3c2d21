#include "prospect/policy/classify.hpp"

#include <doctest/doctest.h>

using namespace prospect::policy;

TEST_CASE("statuses the product names") {
    for (int s : {200, 201, 202, 204, 299}) CHECK(classify_status(s) == verdict::success);
    for (int s : {408, 500, 502, 503, 504}) CHECK(classify_status(s) == verdict::retry);
    CHECK(classify_status(429) == verdict::throttle);
    for (int s : {401, 403}) CHECK(classify_status(s) == verdict::fatal);
    for (int s : {400, 402, 404, 405, 409, 410, 413, 415, 422, 451, 499}) CHECK(classify_status(s) == verdict::reject);
}

TEST_CASE("statuses the product leaves open") {
    for (int s : {506, 507, 508, 510, 511, 520, 522, 524, 599}) CHECK(classify_status(s) == verdict::retry);
    for (int s : {501, 505}) CHECK(classify_status(s) == verdict::give_up);
    for (int s : {0, 100, 101, 199, 300, 301, 302, 304, 307, 308, 600, 999, -1})
        CHECK(classify_status(s) == verdict::give_up);
}

TEST_CASE("transport failures retry, except certificate verification") {
    for (auto k : {attempt_kind::connect_failed, attempt_kind::timed_out, attempt_kind::connection_lost,
                   attempt_kind::tls_failed})
        CHECK(classify(attempt_result::transport(k)) == verdict::retry);
    CHECK(classify(attempt_result::transport(attempt_kind::tls_verify_failed)) == verdict::fatal);
    CHECK(classify(attempt_result::http(201)) == verdict::success);
    CHECK(classify(attempt_result::http(429)) == verdict::throttle);
}

TEST_CASE("names for messages") {
    CHECK(to_string(attempt_kind::timed_out) == "timed out");
    CHECK(to_string(attempt_kind::connection_lost) == "connection lost");
    CHECK(to_string(verdict::throttle) == "throttle");
}
