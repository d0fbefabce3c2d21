#include "prospect/app/pipeline.hpp"

#include "support/files.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <system_error>

// The whole pipeline in process, through a scripted fake sender: no sockets.
// Each case runs the loop with a generous limit only as a guard against a
// hang; what it asserts is every row's outcome.

using namespace prospect::app;
namespace asio = boost::asio;
namespace net = prospect::net;
namespace report = prospect::report;
using prospect::policy::outcome;
using namespace std::chrono_literals;

namespace {

const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";

std::string profile(int i) { return fmt::format("https://www.linkedin.com/in/lead-{}", i); }

// The row number of a profile URL inside a request's bytes.
int lead_of(std::string_view request) {
    auto at = request.find("/in/lead-");
    return at == std::string_view::npos ? -1 : std::atoi(request.data() + at + 9);
}

net::post_result answer(int status, std::string retry_after = {}) {
    net::post_result r;
    r.outcome = net::post_result::kind::response;
    r.status = status;
    r.retry_after = std::move(retry_after);
    return r;
}

// The server's side of the script: lead number and attempt (1, 2, ...) to an answer.
using script = std::function<net::post_result(int lead, int attempt)>;

struct fake_server {
    script answer_for;
    std::chrono::milliseconds latency{1};
    std::map<int, int> attempts;       // by lead
    std::set<int> credited;            // leads answered 2xx
    bool hang = false;                 // never answer (until abandoned)
    bool answer_next_turn = false;     // answer every request sent in one turn of the loop in the next one
    std::function<void()> on_post;     // called as each request leaves
};

class fake_sender final : public sender {
public:
    fake_sender(asio::any_io_executor ex, fake_server& server) : timer_(ex), server_(server) {}

    asio::awaitable<net::post_result> post(std::string_view request, std::chrono::steady_clock::duration) override {
        const int lead = lead_of(request);
        const int attempt = ++server_.attempts[lead];
        if (server_.on_post) server_.on_post();
        if (server_.answer_next_turn) {
            co_await asio::post(timer_.get_executor(), asio::use_awaitable);
            co_return server_.answer_for(lead, attempt);
        }
        timer_.expires_after(server_.hang ? std::chrono::hours(1) : std::chrono::duration_cast<std::chrono::steady_clock::duration>(server_.latency));
        auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) co_return net::post_result{};  // abandoned: connection_lost
        auto r = server_.answer_for(lead, attempt);
        if (r.outcome == net::post_result::kind::response && r.status / 100 == 2) server_.credited.insert(lead);
        co_return r;
    }
    void abandon() override { timer_.cancel(); }

private:
    asio::steady_timer timer_;
    fake_server& server_;
};

class throwing_observer : public row_observer {
public:
    void on_finished(const finished_row& r) override {
        if (r.outcome == outcome::added && ++added_ == 3)
            throw std::system_error(ENOSPC, std::generic_category(), "cannot write journal j");
    }

private:
    int added_ = 0;
};

// What a journal sees: rows added and not yet recorded, and the writes that
// recorded them.
struct recording_observer : row_observer {
    std::size_t unrecorded = 0, recorded = 0, writes = 0;
    void on_finished(const finished_row& r) override {
        if (r.outcome == outcome::added) ++unrecorded;
    }
    bool has_unrecorded() const override { return unrecorded > 0; }
    void record_finished() override {
        ++writes;
        recorded += unrecorded;
        unrecorded = 0;
    }
};

struct run_result {
    bool finished = false;
    std::string report;
    std::optional<stop_cause> failure;
    stop_cause stopped;
    tally counts;
    std::uint64_t requests = 0;
};

struct harness {
    prospect::test::temp_dir dir;
    config cfg;
    fake_server server;
    prospect::app::log out{verbosity::quiet};
    row_observer* observer = nullptr;
    std::function<void(pipeline&, asio::io_context&)> during;  // started beside the run

    explicit harness(int rows, script s) {
        std::string csv = "profileUrl,campaignId,prospectListId\n";
        for (int i = 2; i < rows + 2; ++i) csv += fmt::format("{},{},{}\n", profile(i), campaign, list);
        prospect::test::write_file(dir / "in.csv", csv);
        cfg.input_path = dir / "in.csv";
        cfg.reader.display_name = cfg.input_path;
        cfg.report_path = dir / "report.csv";
        cfg.connections = 4;
        cfg.rate = 1e6;
        cfg.burst = 4;
        server.answer_for = std::move(s);
    }

    run_result run() {
        asio::io_context io;
        row_feed source(std::make_unique<row_source>(cfg));
        report::report_writer report(cfg.report_path, cfg.report_format);
        auto pace = make_local_limiter(io.get_executor(), {cfg.rate, cfg.burst, cfg.max_throttle_wait}, out);
        auto url = net::parse_base_url("https://api.example");
        pipeline pipe(io, {cfg, "key", url,
                           [&] { return std::make_unique<fake_sender>(io.get_executor(), server); }, *pace, source,
                           report, out, observer});
        run_result r;
        asio::co_spawn(io, pipe.run(), [&](std::exception_ptr e) {
            REQUIRE_FALSE(e);
            r.finished = true;
        });
        if (during) during(pipe, io);
        io.run_for(60s);  // a guard against a hang, not a measure
        if (r.finished) report.finish();
        r.report = prospect::test::read_file_or_empty(cfg.report_path);
        r.failure = pipe.failure();
        r.stopped = pipe.stopped();
        r.counts = pipe.counts();
        r.requests = pipe.requests_sent();
        return r;
    }
};

// The report's outcome column, by row number.
std::map<int, std::string> outcomes(const std::string& report) {
    std::map<int, std::string> out;
    std::size_t pos = report.find('\n') + 1;
    while (pos < report.size()) {
        auto end = report.find('\n', pos);
        std::string line = report.substr(pos, end - pos);
        std::vector<std::string> cells;
        std::size_t a = 0;
        for (int k = 0; k < 6; ++k) {
            auto b = line.find(',', a);
            cells.push_back(line.substr(a, b - a));
            a = b + 1;
        }
        out[std::stoi(cells[0])] = cells[5];
        pos = end + 1;
    }
    return out;
}

// A run the journal's failed write stopped: 74 naming the file, and a
// report line for every row all the same.
void check_stopped_by_journal(const run_result& r, std::size_t rows) {
    REQUIRE(r.finished);
    REQUIRE(r.failure);
    CHECK(r.failure->status == exit_write_failed);
    CHECK(r.failure->message.find("cannot write journal j") != std::string::npos);
    CHECK(outcomes(r.report).size() == rows);
}

}  // namespace

TEST_CASE("every row once, in order, with the outcome its own answers give") {
    harness h(60, [](int lead, int attempt) {
        if (lead % 3 == 0) return answer(400);
        if (lead % 5 == 0 && attempt == 1) return answer(503);
        return answer(201);
    });
    auto r = h.run();
    REQUIRE(r.finished);
    auto o = outcomes(r.report);
    REQUIRE(o.size() == 60);
    int row = 2;
    for (auto& [n, what] : o) {
        CHECK(n == row++);
        CHECK(what == (n % 3 == 0 ? "rejected" : "added"));
    }
    CHECK(h.server.credited.size() == r.counts.count(outcome::added));
    CHECK_FALSE(r.failure);
}

TEST_CASE("issue 11: an exception inside a task stops the run with 70, and every row is still reported") {
    harness h(40, [](int lead, int) -> net::post_result {
        if (lead == 10) throw std::logic_error("broken invariant");
        return answer(201);
    });
    auto r = h.run();
    REQUIRE(r.finished);
    REQUIRE(r.failure);
    CHECK(r.failure->status == exit_internal);
    CHECK(r.failure->message.find("broken invariant") != std::string::npos);
    CHECK(outcomes(r.report).size() == 40);
    CHECK(r.counts.count(outcome::added) == h.server.credited.size());
}

TEST_CASE("issue 11: a journal write that fails stops the run with 74, naming the file") {
    harness h(40, [](int, int) { return answer(201); });
    throwing_observer journal;
    h.observer = &journal;
    auto r = h.run();
    check_stopped_by_journal(r, 40);
    // Nothing is sent after the failure, beyond what was in flight.
    CHECK(r.requests <= 3 + static_cast<std::uint64_t>(h.cfg.connections));
}

TEST_CASE("issue 16: rows answered in one turn are recorded by one write, before their workers send again") {
    harness h(200, [](int, int) { return answer(201); });
    h.server.answer_next_turn = true;
    recording_observer journal;
    h.observer = &journal;
    pipeline* running = nullptr;
    h.during = [&](pipeline& pipe, asio::io_context&) { running = &pipe; };
    std::size_t resent_by_a_kill = 0;  // the most a kill -9 at any request would send again
    h.server.on_post = [&] { resent_by_a_kill = std::max(resent_by_a_kill, journal.unrecorded + running->in_flight()); };
    auto r = h.run();
    REQUIRE(r.finished);
    CHECK(r.counts.count(outcome::added) == 200);
    CHECK(resent_by_a_kill <= static_cast<std::size_t>(h.cfg.connections));
    CHECK(journal.recorded + journal.unrecorded == 200);  // the last ones are the final commit's
    CHECK(journal.writes * 3 <= journal.recorded * 2);    // answers of one turn share a write (one a row before)
}

TEST_CASE("issue 16: a journal write that fails before a request stops the run with 74 and sends nothing more") {
    harness h(40, [](int, int) { return answer(201); });
    struct failing_journal : recording_observer {
        bool failed = false;
        void record_finished() override {
            if (writes == 2) {
                failed = true;
                throw std::system_error(ENOSPC, std::generic_category(), "cannot write journal j");
            }
            recording_observer::record_finished();
        }
    } journal;
    h.observer = &journal;
    std::size_t sent_after_failure = 0;
    h.server.on_post = [&] { sent_after_failure += journal.failed; };
    auto r = h.run();
    check_stopped_by_journal(r, 40);
    CHECK(sent_after_failure == 0);
}

TEST_CASE("issue 11: a stop during a long Retry-After ends every wait at once") {
    harness h(30, [](int, int) { return answer(429, "600"); });
    int posts = 0;
    h.server.on_post = [&] { ++posts; };
    h.during = [&](pipeline& pipe, asio::io_context& io) {
        auto t = std::make_shared<asio::steady_timer>(io, 50ms);
        t->async_wait([&pipe, t](auto) { pipe.stop(exit_sigint, "not sent: the run was interrupted (SIGINT)"); });
    };
    auto r = h.run();
    REQUIRE(r.finished);  // not 600 s later
    CHECK(r.stopped.status == exit_sigint);
    CHECK(r.counts.count(outcome::failed) + r.counts.count(outcome::not_sent) == 30);
    CHECK(r.counts.count(outcome::not_sent) >= 1);
}

TEST_CASE("issue 11: --max-throttle-wait bounds the run, not only each row") {
    harness h(200, [](int, int) { return answer(429, "100000000"); });
    h.cfg.max_throttle_wait = std::chrono::seconds(1);
    auto r = h.run();
    REQUIRE(r.finished);
    CHECK(r.counts.count(outcome::failed) == 200);
    // Once the pool has been throttled past the bound, waiting rows end
    // without being sent: far fewer requests than rows.
    CHECK(r.requests < 100);
    CHECK(r.report.find("--max-throttle-wait") != std::string::npos);
}

TEST_CASE("issue 11: abandoning requests in flight ends their rows failed and the run at once") {
    harness h(10, [](int, int) { return answer(201); });
    h.server.hang = true;
    h.during = [&](pipeline& pipe, asio::io_context& io) {
        auto t = std::make_shared<asio::steady_timer>(io, 50ms);
        t->async_wait([&pipe, t](auto) {
            pipe.stop(exit_sigterm, "not sent: the run was terminated (SIGTERM)");
            pipe.abandon();
        });
    };
    auto r = h.run();
    REQUIRE(r.finished);
    CHECK(r.stopped.status == exit_sigterm);
    CHECK(r.counts.count(outcome::failed) == static_cast<std::size_t>(h.cfg.connections));
    CHECK(r.counts.count(outcome::not_sent) == 10 - static_cast<std::size_t>(h.cfg.connections));
}
