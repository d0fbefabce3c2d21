#include "prospect/app/exit_status.hpp"

#include "prospect/app/error_status.hpp"
#include "prospect/csv/record_reader.hpp"
#include "prospect/report/report_writer.hpp"

#include <doctest/doctest.h>
#include <new>

using namespace prospect::app;

TEST_CASE("the most severe status wins: 70, 74, 3, 69, 130/143, 75, 1, 0") {
    CHECK(most_severe({}) == exit_ok);
    CHECK(most_severe({exit_ok, exit_some_rows}) == exit_some_rows);
    CHECK(most_severe({exit_some_rows, exit_transient}) == exit_transient);
    CHECK(most_severe({exit_transient, exit_sigint}) == exit_sigint);
    CHECK(most_severe({exit_sigterm, exit_endpoint_missing}) == exit_endpoint_missing);
    CHECK(most_severe({exit_endpoint_missing, exit_refused}) == exit_refused);
    CHECK(most_severe({exit_refused, exit_write_failed}) == exit_write_failed);
    CHECK(most_severe({exit_write_failed, exit_internal, exit_ok}) == exit_internal);
}

namespace {

template <class E>
error_verdict of(E e) {
    return verdict_for(std::make_exception_ptr(std::move(e)));
}

}  // namespace

TEST_CASE("issue 11: every exception type maps once to a status and a message") {
    struct row {
        error_verdict got;
        exit_status status;
        const char* message;
    };
    const row table[] = {
        {of(fatal_error(exit_locked, "held by pid 7")), exit_locked, "held by pid 7"},
        {of(usage_error("bad --rate")), exit_usage, "bad --rate"},
        {of(fatal_error(exit_write_failed, "cannot write x: No space left on device")), exit_write_failed,
         "cannot write x: No space left on device"},
        {of(prospect::csv::input_error("in.csv: not a CSV file")), exit_usage, "in.csv: not a CSV file"},
        {of(prospect::report::report_error("cannot create report r.csv")), exit_usage, "cannot create report r.csv"},
        {of(std::bad_alloc()), exit_internal, "aborted: out of memory"},
        {of(std::logic_error("broken invariant")), exit_internal, "aborted by an internal error: broken invariant"},
        {of(42), exit_internal, "aborted by an internal error of unknown type"},
    };
    for (const auto& r : table) {
        CAPTURE(r.message);
        CHECK(r.got.status == r.status);
        CHECK(r.got.message == r.message);
    }
}
