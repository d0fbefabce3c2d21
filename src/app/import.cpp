// Order matters: everything a user can get wrong (URL, key, CA file, input
// header, report path) is checked before the first request, so that a
// usage error really means "nothing sent".
#include "prospect/app/import.hpp"

#include "prospect/app/exit_status.hpp"
#include "prospect/app/pipeline.hpp"
#include "prospect/net/tls_context.hpp"
#include "prospect/sandbox/server.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdlib>
#include <exception>

namespace prospect::app {

namespace asio = boost::asio;

namespace {

// The key of the embedded sandbox: a rehearsal needs no real key.
constexpr const char* sandbox_key = "sandbox-key";

net::base_url parse_url(const std::string& url) {
    try {
        return net::parse_base_url(url);
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
}

asio::ssl::context make_tls(const config& cfg, const sandbox::server* sandbox) {
    try {
        auto tls = net::make_tls_context({cfg.ca_file});
        if (sandbox) tls.add_certificate_authority(asio::buffer(sandbox->ca_pem()));
        return tls;
    } catch (const std::exception& e) {
        throw usage_error(e.what());
    }
}

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
    log out(cfg.verbosity);
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
    auto url = parse_url(base_url);
    try {
        net::check_api_key(api_key);
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
    auto tls = make_tls(cfg, sandbox.get());
    row_source source(cfg);
    report::report_writer report(cfg.report_path, cfg.report_format);

    pipeline pipe(io, {cfg, url, api_key, tls, source, report, out});

    // The first SIGINT/SIGTERM stops the run gracefully; a second one ends
    // the process at once (the journal stays consistent: it is append-only).
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

    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await pipe.run();
            signals.cancel();
            if (sandbox) sandbox->stop();
        },
        [&](std::exception_ptr e) {
            failure = e;
            if (e) io.stop();
        });
    io.run();
    if (failure) std::rethrow_exception(failure);
    report.finish();

    if (pipe.stopped() == stop_reason::fatal) out.error("aborted: {}", pipe.stop_message());
    out.summary("import of {} into {}: {}; {} requests ({} throttled); report: {}", cfg.reader.display_name,
                cfg.sandbox ? "the sandbox" : base_url, describe(pipe.counts(), false), pipe.requests_sent(),
                pipe.throttled(), cfg.report_path == "-" ? "standard output" : cfg.report_path);
    return exit_status_of(pipe);
}

}  // namespace prospect::app
