// Order matters: everything a user can get wrong (lock, URL, key, CA file,
// input header, journal, report path) is checked before the first request,
// so that a usage error really means "nothing sent".
#include "prospect/app/import.hpp"

#include "prospect/app/exit_status.hpp"
#include "prospect/app/pipeline.hpp"
#include "prospect/journal/journal_file.hpp"
#include "prospect/journal/run_lock.hpp"
#include "prospect/net/tls_context.hpp"
#include "prospect/sandbox/server.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdlib>
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

std::optional<journal::run_lock> take_lock(const config& cfg) {
    if (cfg.journal_path.empty()) return std::nullopt;
    try {
        return std::optional<journal::run_lock>(std::in_place, cfg.journal_path, std::chrono::system_clock::now());
    } catch (const journal::lock_held& e) {
        throw fatal_error(exit_locked, e.what());
    } catch (const std::system_error& e) {
        throw usage_error(e.what());
    }
}

// Binds the journal to what gives its keys their meaning: the API's base URL
// and the endpoint kind. PROSPECT_TEST_KILL_IN_COMPACTION (a test hook)
// kills the process once a compaction's copy is synced, before its rename.
std::optional<journal::journal_file> open_journal(const config& cfg, const std::string& base_url) {
    if (cfg.journal_path.empty()) return std::nullopt;
    return as_usage_error([&] {
        journal::journal_file_params p{cfg.journal_path, {base_url, "single"}, cfg.restart, {}, {}};
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
        journal_.flush();
    }

private:
    journal::journal_file& journal_;
};

int exit_status_of(const pipeline& p) {
    switch (p.stopped()) {
    case stop_reason::sigint: return exit_sigint;
    case stop_reason::sigterm: return exit_sigterm;
    case stop_reason::fatal: return exit_fatal;
    case stop_reason::none: break;
    }
    return finished_exit_status(p.counts(), false);
}

}  // namespace

int run_import(const config& cfg) {
    const auto started = clock::now();
    log out(cfg.verbosity);
    auto lock = take_lock(cfg);
    asio::io_context io(1);

    std::unique_ptr<sandbox::server> sandbox;
    std::string base_url = cfg.base_url;
    std::string api_key = cfg.api_key;
    if (cfg.sandbox) {
        sandbox::server_params sp;
        sp.listen = "127.0.0.1:0";
        sp.api_keys = {sandbox_key};
        sandbox = std::make_unique<sandbox::server>(io, sp);
        sandbox->start();
        base_url = sandbox->url();
        api_key = sandbox_key;
        out.info("sandbox listening on {}", base_url);
    }
    auto url = as_usage_error([&] { return net::parse_base_url(base_url); });
    as_usage_error([&] { net::check_api_key(api_key); });
    auto tls = make_tls(cfg, sandbox.get());
    row_source source(cfg);
    auto journal = open_journal(cfg, base_url);
    if (journal && !journal->earlier().empty())
        out.info("resuming: {} rows already final in {}", journal->earlier().size(), journal->path());
    report::report_writer report(cfg.report_path, cfg.report_format);

    std::optional<journal_recorder> recorder;
    if (journal) recorder.emplace(*journal);
    pipeline pipe(io, {cfg, url, api_key, tls, source, report, out, recorder ? &*recorder : nullptr,
                       journal ? &journal->earlier() : nullptr,
                       cfg.input_path == "-" ? 0 : regular_file_size(cfg.input_path)});

    // The first SIGINT/SIGTERM stops the run gracefully; a second one ends
    // the process at once (every finished row is in the journal already).
    asio::signal_set signals(io, SIGINT, SIGTERM);
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int sig) {
            if (ec) return;
            if (pipe.stopped() == stop_reason::sigint || pipe.stopped() == stop_reason::sigterm)
                std::_Exit(sig == SIGINT ? exit_sigint : exit_sigterm);
            out.info("{}: stopping; requests in flight finish (at most --timeout), the rest is not sent",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
            pipe.stop(sig == SIGINT ? stop_reason::sigint : stop_reason::sigterm,
                      sig == SIGINT ? "not sent: the run was interrupted (SIGINT)"
                                    : "not sent: the run was terminated (SIGTERM)");
            signals.async_wait(on_signal);
        };
    signals.async_wait(on_signal);

    // Background chores that end with the run: group commit and progress.
    sleeper chores(io.get_executor());
    if (journal)
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                while (co_await chores.sleep_for(journal_sync_interval)) journal->commit();
            },
            asio::detached);
    progress_reporter progress(progress_params_for_stderr(cfg.verbosity == verbosity::quiet), started);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            while (co_await chores.sleep_for(progress.poll_interval())) {
                auto now = clock::now();
                write_stderr(progress.tick(pipe.snapshot(now), now));
            }
        },
        asio::detached);

    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await pipe.run();
            chores.wake_all();
            signals.cancel();
            if (sandbox) sandbox->stop();
        },
        [&](std::exception_ptr e) {
            failure = e;
            if (e) io.stop();
        });
    io.run();
    write_stderr(progress.clear());
    if (journal) journal->commit();
    if (failure) std::rethrow_exception(failure);
    report.finish();

    if (pipe.stopped() == stop_reason::fatal) out.error("aborted: {}", pipe.stop_message());
    auto resumed = pipe.resumed_rows() ? fmt::format(" ({} final in an earlier run)", pipe.resumed_rows()) : "";
    out.summary("import of {} into {}: {}{}; {} requests ({} throttled); report: {}", cfg.reader.display_name,
                cfg.sandbox ? "the sandbox" : base_url, describe(pipe.counts(), false), resumed,
                pipe.requests_sent(), pipe.throttled(), cfg.report_path == "-" ? "standard output" : cfg.report_path);
    int status = exit_status_of(pipe);
    if (!cfg.metrics_file.empty()) {
        run_metrics m;
        m.rows = pipe.counts();
        m.requests = pipe.requests();
        m.retries = pipe.retries();
        m.duration = clock::now() - started;
        m.exit_status = status;
        m.finished_at = std::chrono::system_clock::now();
        m.input = cfg.reader.display_name;
        if (auto error = write_metrics_file(cfg.metrics_file, m)) out.error("{}", *error);
    }
    return status;
}

}  // namespace prospect::app
