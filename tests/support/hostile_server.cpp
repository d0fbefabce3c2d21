// hostile-server: a TLS server on 127.0.0.1 that answers every API request
// the way one misbehaving server would (one mode a run), for end-to-end tests
// of the importer. It counts what it received and answers
// GET /_hostile/received with {"requests":N,"answered_2xx":[URL,...]}: the
// prospectProfileUrl of every request it sent a whole 2xx answer for, in
// order, so a test can check that the report's added rows are exactly those.
//
//   hostile-server --mode MODE --ca-out CA.pem [--port N]
//   prints "listening on https://127.0.0.1:PORT"; SIGTERM or SIGINT stops it.
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "prospect/sandbox/certificates.hpp"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

constexpr std::string_view usage =
    "usage: hostile-server --mode MODE --ca-out CA.pem [--port N]\n"
    "modes (request numbers count from 0 in arrival order):\n"
    "  continue-100  100 Continue, then 201 for even and 400 for odd request numbers\n"
    "  huge-201      201 with a 50 MB body (Content-Length), kept alive\n"
    "  short-body    201 with a Content-Length longer than the body, then the socket closes\n"
    "  http10-close  HTTP/1.0 201 without a length, ended by close_notify and close\n"
    "  redirect-301  301 to https://elsewhere.invalid/\n"
    "  endless-429   429 with Retry-After: 100000000, every time\n"
    "  html-404      404 with an HTML page\n"
    "  tls10-only    offers TLS 1.0 only (SECLEVEL=0); answers 201 if a client gets through\n";

constexpr std::string_view modes[] = {"continue-100", "huge-201",    "short-body", "http10-close",
                                      "redirect-301", "endless-429", "html-404",   "tls10-only"};

constexpr std::string_view created_body = R"({"status":"success","data":null,"message":"Operation completed successfully"})";

std::string response(std::string_view status_line, std::string_view body, std::string_view extra = {}) {
    return std::string(status_line) + "\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" + std::string(body);
}

struct server {
    std::string mode;
    asio::ssl::context tls{asio::ssl::context::tls_server};
    long requests = 0;
    std::vector<std::string> answered_2xx;

    std::string received_json() const {
        boost::json::object o;
        o["requests"] = requests;
        boost::json::array urls;
        for (const auto& u : answered_2xx) urls.emplace_back(u);
        o["answered_2xx"] = std::move(urls);
        return boost::json::serialize(o);
    }

    static std::string profile_url(const std::string& body) {
        boost::system::error_code ec;
        auto v = boost::json::parse(body, ec);
        if (ec || !v.is_object()) return {};
        auto* url = v.as_object().if_contains("prospectProfileUrl");
        return url && url->is_string() ? std::string(url->as_string()) : std::string();
    }

    // Writes `bytes`; false when the client has gone.
    static asio::awaitable<bool> write(tls_stream& s, std::string_view bytes) {
        auto [ec, n] = co_await asio::async_write(s, asio::buffer(bytes), use_tuple);
        co_return !ec;
    }

    // Answers one API request; false when the connection must end.
    asio::awaitable<bool> answer(tls_stream& s, const std::string& url) {
        const long n = requests++;
        if (mode == "continue-100") {
            std::string bytes = "HTTP/1.1 100 Continue\r\n\r\n";
            if (n % 2 == 0) {
                bytes += response("HTTP/1.1 201 Created", created_body);
            } else {
                bytes += response("HTTP/1.1 400 Bad Request",
                                  R"({"status":"error","data":null,"message":"odd request refused"})");
            }
            if (!co_await write(s, bytes)) co_return false;
            if (n % 2 == 0) answered_2xx.push_back(url);
            co_return true;
        }
        if (mode == "huge-201") {
            static const std::string body = std::string(created_body) + std::string(50'000'000, ' ');
            if (!co_await write(s, response("HTTP/1.1 201 Created", body))) co_return false;
            answered_2xx.push_back(url);
            co_return true;
        }
        if (mode == "short-body") {
            co_await write(s, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" +
                                  std::string(created_body));
            co_return false;
        }
        if (mode == "http10-close") {
            if (!co_await write(s, "HTTP/1.0 201 Created\r\nContent-Type: application/json\r\n\r\n" +
                                       std::string(created_body)))
                co_return false;
            // Whole once close_notify is sent; the client then closes
            // without answering it, so the shutdown's own result says nothing.
            answered_2xx.push_back(url);
            co_await s.async_shutdown(use_tuple);
            co_return false;
        }
        if (mode == "redirect-301") {
            co_return co_await write(s, "HTTP/1.1 301 Moved Permanently\r\nLocation: https://elsewhere.invalid/api/"
                                        "client/v1/prospects\r\nContent-Length: 0\r\n\r\n");
        }
        if (mode == "endless-429") {
            co_return co_await write(s, response("HTTP/1.1 429 Too Many Requests",
                                                 R"({"status":"error","data":null,"message":"slow down"})",
                                                 "Retry-After: 100000000\r\n"));
        }
        if (mode == "html-404") {
            std::string page = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
            co_return co_await write(s, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: " +
                                            std::to_string(page.size()) + "\r\n\r\n" + page);
        }
        // tls10-only: a client that got through is answered as the API would.
        if (!co_await write(s, response("HTTP/1.1 201 Created", created_body))) co_return false;
        answered_2xx.push_back(url);
        co_return true;
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        tls_stream s(std::move(socket), tls);
        if (auto [ec] = co_await s.async_handshake(asio::ssl::stream_base::server, use_tuple); ec) co_return;
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(1 << 20);
            if (auto [ec, n] = co_await http::async_read(s, buffer, parser, use_tuple); ec) co_return;
            auto& req = parser.get();
            if (req.method() == http::verb::get && req.target() == "/_hostile/received") {
                if (!co_await write(s, response("HTTP/1.1 200 OK", received_json()))) co_return;
                continue;
            }
            if (!co_await answer(s, profile_url(req.body()))) co_return;
        }
    }

    asio::awaitable<void> accept(tcp::acceptor& acceptor) {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec) co_return;
            asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }
};

int fail(const std::string& message) {
    std::cerr << "hostile-server: " << message << "\n" << usage;
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode, ca_out;
    unsigned short port = 0;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (i + 1 >= argc) return fail("option " + std::string(arg) + " needs a value");
        if (arg == "--mode") mode = argv[++i];
        else if (arg == "--ca-out") ca_out = argv[++i];
        else if (arg == "--port") port = static_cast<unsigned short>(std::stoi(argv[++i]));
        else return fail("unknown option " + std::string(arg));
    }
    if (std::find(std::begin(modes), std::end(modes), mode) == std::end(modes)) return fail("--mode " + mode + ": unknown mode");
    if (ca_out.empty()) return fail("--ca-out is required");

    server srv;
    srv.mode = mode;
    auto certs = prospect::sandbox::make_throwaway_certificates({"127.0.0.1"});
    srv.tls.use_certificate_chain(asio::buffer(certs.cert_pem));
    srv.tls.use_private_key(asio::buffer(certs.key_pem), asio::ssl::context::pem);
    if (mode == "tls10-only") {
        // OpenSSL 3 refuses TLS 1.0 and SHA-1 at its default security level.
        SSL_CTX* ctx = srv.tls.native_handle();
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
        SSL_CTX_set_max_proto_version(ctx, TLS1_VERSION);
        SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    }
    {
        std::ofstream out(ca_out, std::ios::binary | std::ios::trunc);
        out << certs.ca_pem;
        out.close();
        if (!out) return fail("--ca-out " + ca_out + ": cannot write the file");
    }

    asio::io_context io;
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    asio::co_spawn(io, srv.accept(acceptor), asio::detached);
    std::cout << "listening on https://127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
    io.run();
    return 0;
}
