// Order matters: everything a user can get wrong (locks, URL, key, CA file,
// input header, journal, report path) is checked before the first request,
// so that a usage error really means "nothing sent". After that nothing
// escapes as an exception: every failure becomes an exit status, and the
// report, journal and metrics are written as far as they can be.
#include "prospect/app/import.hpp"

#include "prospect/app/error_status.hpp"
#include "prospect/app/exit_status.hpp"
#include "prospect/app/journal_chore.hpp"
#include "prospect/app/output_paths.hpp"
#include "prospect/app/pipeline.hpp"
#include "prospect/app/run_metrics.hpp"
#include "prospect/journal/journal_file.hpp"
#include "prospect/journal/run_lock.hpp"
#include "prospect/net/tls_context.hpp"
#include "prospect/sandbox/server.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <exception>
#include <optional>
#include <system_error>

namespace prospect::app {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

// The key of the embedded sandbox: a rehearsal needs no real key.
constexpr const char* sandbox_key = "sandbox-key";

// Finished rows are written to the journal at once (a killed run keeps
// them) and synced this often: a power loss forgets at most the rows
// finished in the last interval, plus the requests then in flight.
constexpr auto journal_sync_interval = std::chrono::milliseconds(100);

template <class F>
auto as_usage_error(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const fatal_error&) {
        throw;
    } catch (const std::exception& e) {
        throw usage_error(e.what());
    }
}

asio::ssl::context make_tls(const config& cfg, const sandbox::server* sandbox) {
    return as_usage_error([&] {
        auto tls = net::make_tls_context({cfg.ca_file});
        if (sandbox) tls.add_certificate_authority(asio::buffer(sandbox->ca_pem()));
        return tls;
    });
}

// Binds the journal to what gives its keys their meaning: the API's base URL
// and the endpoint kind. PROSPECT_TEST_KILL_IN_COMPACTION (a test hook)
// kills the process once a compaction's copy is synced, before its rename.
std::optional<journal::journal_file> open_journal(const config& cfg, const std::string& base_url) {
    if (cfg.journal_path.empty()) return std::nullopt;
    return as_usage_error([&] {
        journal::journal_file_params p{cfg.journal_path, {base_url, cfg.endpoint == endpoint_kind::bulk ? "bulk" : "single"},
                                       cfg.restart, {}, {}};
        if (std::getenv("PROSPECT_TEST_KILL_IN_COMPACTION"))
            p.on_compaction_step = [](journal::compaction_step s) {
                if (s == journal::compaction_step::temp_synced) std::raise(SIGKILL);
            };
        return std::optional<journal::journal_file>(std::in_place, std::move(p));
    });
}

// Records every row that reached a final outcome in this run.
class journal_recorder : public row_observer {
public:
    explicit journal_recorder(journal::journal_file& j) : journal_(j) {}
    void on_finished(const finished_row& r) override {
        if (r.resumed || (r.outcome != policy::outcome::added && r.outcome != policy::outcome::rejected)) return;
        const auto& lead = r.row.lead;
        journal_.append({lead.normalized_url, lead.campaign_id, lead.list_id, r.outcome, lead.move,
                         static_cast<std::uint16_t>(r.http_status), static_cast<std::uint32_t>(r.attempts), r.message,
                         std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())});
    }
    bool has_unrecorded() const override { return journal_.has_unwritten(); }
    void record_finished() override { journal_.flush(); }

private:
    journal::journal_file& journal_;
};

struct run_state {
    std::optional<stop_cause> late_failure;  // after the pipeline: the final journal sync or the report's rename
    void fail(exit_status status, std::string message) {
        if (!late_failure) late_failure = stop_cause{status, std::move(message)};
    }
};

exit_status exit_status_of(const pipeline& p, const run_state& run) {
    auto stopped = p.stopped().status;
    auto failed = p.failure() ? p.failure()->status : exit_ok;
    auto late = run.late_failure ? run.late_failure->status : exit_ok;
    auto finished = static_cast<exit_status>(finished_exit_status(p.counts(), false));
    return most_severe({stopped, failed, late, finished});
}

// The first SIGINT/SIGTERM stops the run gracefully; a second one abandons
// the requests in flight, and the run ends as soon as their rows are failed.
class signal_handler {
public:
    signal_handler(asio::io_context& io, pipeline& pipe, const config& cfg, const log& out)
        : signals_(io, SIGINT, SIGTERM), pipe_(pipe), cfg_(cfg), out_(out) {
        listen();
    }
    void cancel() { signals_.cancel(); }

private:
    void listen() {
        signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
            if (ec) return;
            on_signal(sig);
            listen();
        });
    }
    void on_signal(int sig) {
        const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
        if (signalled_) {
            out_.info("{} again: abandoning {} request{} in flight (their rows end failed)", name,
                      pipe_.in_flight(), pipe_.in_flight() == 1 ? "" : "s");
            pipe_.abandon();
            return;
        }
        signalled_ = true;
        out_.info("{}: stopping; waiting for {} request{} in flight (at most --timeout {} s); the rest is not sent. "
                  "{} again stops at once",
                  name, pipe_.in_flight(), pipe_.in_flight() == 1 ? "" : "s",
                  std::chrono::duration_cast<std::chrono::seconds>(cfg_.timeout).count(), name);
        pipe_.stop(sig == SIGINT ? exit_sigint : exit_sigterm,
                   sig == SIGINT ? "not sent: the run was interrupted (SIGINT)"
                                 : "not sent: the run was terminated (SIGTERM)");
    }

    asio::signal_set signals_;
    pipeline& pipe_;
    const config& cfg_;
    const log& out_;
    bool signalled_ = false;
};

// Where requests go: the API (or --base-url), or for --sandbox a sandbox
// started inside this process, with its own key.
struct destination {
    std::unique_ptr<sandbox::server> sandbox;
    std::string base_url;
    std::string api_key;
};

destination open_destination(asio::io_context& io, const config& cfg, const log& out) {
    destination d{nullptr, cfg.base_url, cfg.api_key};
    if (!cfg.sandbox) return d;
    sandbox::server_params sp;
    sp.listen = "127.0.0.1:0";
    sp.api_keys = {sandbox_key};
    d.sandbox = std::make_unique<sandbox::server>(io, sp);
    d.sandbox->start();
    d.base_url = d.sandbox->url();
    d.api_key = sandbox_key;
    out.info("sandbox listening on {}", d.base_url);
    return d;
}

// Runs the pipeline to its end beside the chores that end with it (the
// journal's group commit, progress); a chore that throws stops the run
// like any other failure.
void run_to_end(asio::io_context& io, pipeline& pipe, signal_handler& signals, journal::journal_file* journal,
                sandbox::server* sandbox, const config& cfg, clock::time_point started, run_state& run) {
    sleeper chores(io.get_executor());
    auto chore_failed = [&](std::exception_ptr e) {
        if (!e) return;
        auto v = verdict_for(e);
        pipe.fail(v.status == exit_internal ? exit_internal : exit_write_failed, v.message);
    };
    if (journal)
        asio::co_spawn(io,
                       commit_periodically(
                           chores, journal_sync_interval, [journal] { journal->commit(); },
                           [&](std::string message) { pipe.fail(exit_write_failed, std::move(message)); }),
                       chore_failed);
    progress_reporter progress(progress_params_for_stderr(cfg.verbosity == verbosity::quiet), started);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            while (co_await chores.sleep_for(progress.poll_interval())) {
                auto now = clock::now();
                write_stderr(progress.tick(pipe.snapshot(now), now));
            }
        },
        chore_failed);

    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await pipe.run();
            chores.wake_all();
            signals.cancel();
            if (sandbox) sandbox->stop();
        },
        [&](std::exception_ptr e) {
            if (e) run.fail(exit_internal, verdict_for(e).message);
            io.stop();
        });
    io.run();
    write_stderr(progress.clear());
}

// The journal's last commit and the report's rename into place; a failure
// of either is the run's late failure (74).
void close_outputs(journal::journal_file* journal, report::report_writer& report, run_state& run) {
    if (journal) {
        try {
            journal->commit();
        } catch (const std::exception& e) {
            run.fail(exit_write_failed, e.what());
        }
    }
    try {
        report.finish();
    } catch (const std::exception& e) {
        run.fail(exit_write_failed, e.what());
    }
}

// The lines after the run: the encoding warning, why it stopped early, the summary.
void tell_how_it_ended(const log& out, const config& cfg, const std::string& base_url, const pipeline& pipe,
                       const run_state& run, row_feed& rows) {
    if (auto warning = rows.encoding_warning(); !warning.empty()) out.error("{}", warning);
    if (auto f = pipe.failure()) out.error("aborted: {}", f->message);
    else if (pipe.stopped().status == exit_refused || pipe.stopped().status == exit_endpoint_missing ||
             pipe.stopped().status == exit_transient)  // the plan's URL limit (bulk)
        out.error("aborted: {}", pipe.stopped().message);
    if (run.late_failure) out.error("{}", run.late_failure->message);
    auto resumed = pipe.resumed_rows() ? fmt::format(" ({} final in an earlier run)", grouped(pipe.resumed_rows())) : "";
    out.summary("import of {} into {}: {}{}; {} request{} ({} throttled); report: {}", cfg.reader.display_name,
                cfg.sandbox ? "the sandbox" : base_url, describe(pipe.counts(), false), resumed,
                grouped(pipe.requests_sent()), pipe.requests_sent() == 1 ? "" : "s", grouped(pipe.throttled()),
                cfg.report_path == "-" ? "standard output" : cfg.report_path);
}

int import_rows(const config& cfg, const clock::time_point started, const log& out, run_metrics& metrics) {
    refuse_outputs_naming_input(cfg);
    auto report_lock = lock_output(cfg.report_path);
    auto journal_lock = lock_output(cfg.journal_path);
    asio::io_context io(1);

    auto to = open_destination(io, cfg, out);
    auto url = as_usage_error([&] { return net::parse_base_url(to.base_url); });
    as_usage_error([&] { net::check_api_key(to.api_key); });
    auto tls = make_tls(cfg, to.sandbox.get());
    auto source = std::make_unique<row_source>(cfg);
    for (const auto& line : source->column_lines()) out.info("{}", line);
    auto journal = open_journal(cfg, to.base_url);
    if (journal && !journal->earlier().empty())
        out.info("resuming: {} rows already final in {}", journal->earlier().size(), journal->path());
    report::report_writer report(cfg.report_path, cfg.report_format);

    std::optional<journal_recorder> recorder;
    if (journal) recorder.emplace(*journal);
    auto pace = cfg.shared_limit.empty()
                    ? make_local_limiter(io.get_executor(), {cfg.rate, cfg.burst, cfg.max_throttle_wait}, out)
                    : connect_shared_limiter(
                          io, {cfg.shared_limit, cfg.limit_name, to.base_url, to.api_key, cfg.rate, cfg.burst}, out);
    row_feed rows(std::move(source));
    pipeline pipe(io, {cfg, to.api_key, url, connection_senders(io.get_executor(), tls, url), *pace, rows, report, out,
                       recorder ? &*recorder : nullptr, journal ? &journal->earlier() : nullptr,
                       rows.input_size().value_or(0)});
    signal_handler signals(io, pipe, cfg, out);

    run_state run;
    run_to_end(io, pipe, signals, journal ? &*journal : nullptr, to.sandbox.get(), cfg, started, run);
    close_outputs(journal ? &*journal : nullptr, report, run);
    tell_how_it_ended(out, cfg, to.base_url, pipe, run, rows);
    metrics.rows = pipe.counts();
    metrics.requests = pipe.requests();
    metrics.retries = pipe.retries();
    return exit_status_of(pipe, run);
}

}  // namespace

int run_import(const config& cfg) {
    const auto started = clock::now();
    log out(cfg.verbosity);
    return with_metrics(cfg, out, [&](run_metrics& metrics) { return import_rows(cfg, started, out, metrics); });
}

}  // namespace prospect::app
