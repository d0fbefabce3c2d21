// The program prospect-sandbox: options, the server on a one-thread
// io_context, and SIGINT/SIGTERM for a clean stop with exit status 0.
#include "prospect/sandbox/program.hpp"

#include "prospect/sandbox/options.hpp"
#include "prospect/sandbox/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <iostream>
#include <optional>

namespace prospect::sandbox {

int run_main(int argc, const char* const* argv) {
    auto parsed = parse_options(argc, argv, std::cout, std::cerr);
    if (!parsed.params) return parsed.exit_status;
    boost::asio::io_context io(1);
    std::optional<server> srv;
    try {
        srv.emplace(io, std::move(*parsed.params));
    } catch (const std::exception& e) {
        std::cerr << "prospect-sandbox: " << e.what() << '\n';
        return 2;
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) srv->stop();
    });
    srv->start();
    std::cout << "listening on " << srv->url() << std::endl;
    io.run();
    return 0;
}

}  // namespace prospect::sandbox
