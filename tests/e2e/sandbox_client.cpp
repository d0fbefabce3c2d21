// Every operation runs the client's own io_context with a deadline, so that
// a server that hangs fails the test instead of hanging it.
#include "sandbox_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <stdexcept>

namespace prospect::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr auto deadline = std::chrono::seconds(20);

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string add_body(std::string_view url, std::string_view list, bool move, std::string_view campaign) {
    std::string out = "{\"prospectListId\":\"";
    out += list;
    out += "\",\"prospectProfileUrl\":\"";
    out += url;
    out += "\",\"campaignId\":\"";
    out += campaign;
    out += "\",\"moveDuplicatedProspect\":";
    out += move ? "true}" : "false}";
    return out;
}

sandbox_process::sandbox_process(std::vector<std::string> args)
    : ca_file(dir_ / "ca.pem"), proc_([&] {
          std::vector<std::string> argv{PROSPECT_SANDBOX_BIN, "--ca-out", dir_ / "ca.pem"};
          if (std::find(args.begin(), args.end(), "--listen") == args.end())
              argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
          argv.insert(argv.end(), args.begin(), args.end());
          return child(argv);
      }()) {
    auto line = proc_.read_line();
    static constexpr std::string_view prefix = "listening on ";
    if (!line.starts_with(prefix)) throw std::runtime_error("prospect-sandbox did not start: '" + line + "'");
    url = line.substr(prefix.size());
    port = url.substr(url.rfind(':') + 1);
}

int sandbox_process::stop(int sig) {
    proc_.signal(sig);
    return proc_.wait();
}

std::string http_reply::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

struct tls_client::impl {
    asio::io_context io;
    ssl::context ctx{ssl::context::tls_client};
    beast::ssl_stream<beast::tcp_stream> stream{io, ctx};
    beast::flat_buffer buffer;

    // Runs one started operation to completion within the deadline.
    error_code finish(error_code& ec) {
        io.restart();
        io.run();
        return ec;
    }
};

tls_client::tls_client(const std::string& host, const std::string& port, const std::string& ca_file)
    : impl_(std::make_unique<impl>()) {
    auto& s = *impl_;
    s.ctx.set_verify_mode(ssl::verify_peer);
    s.ctx.load_verify_file(ca_file);
    s.stream.set_verify_callback(ssl::host_name_verification(host));
    error_code ec;
    asio::ip::make_address(host, ec);  // an IP address gets no SNI
    if (ec && !SSL_set_tlsext_host_name(s.stream.native_handle(), host.c_str()))
        throw std::runtime_error("SNI failed");
    tcp::resolver resolver(s.io);
    auto endpoints = resolver.resolve(host, port);
    auto& tcp_layer = beast::get_lowest_layer(s.stream);
    tcp_layer.expires_after(deadline);
    tcp_layer.async_connect(endpoints, [&](error_code e, const tcp::endpoint&) { ec = e; });
    if (s.finish(ec)) throw std::runtime_error("connect: " + ec.message());
    tcp_layer.expires_after(deadline);
    s.stream.async_handshake(ssl::stream_base::client, [&](error_code e) { ec = e; });
    if (s.finish(ec)) throw std::runtime_error("TLS handshake: " + ec.message());
}

tls_client::~tls_client() = default;

http_reply tls_client::post(std::string_view target, std::string_view body, std::string_view api_key,
                            const header_list& extra) {
    header_list headers{{"Content-Type", "application/json"}};
    if (!api_key.empty()) headers.emplace_back("X-API-Key", std::string(api_key));
    headers.insert(headers.end(), extra.begin(), extra.end());
    return send("POST", target, body, headers);
}

http_reply tls_client::get(std::string_view target) { return send("GET", target, "", {}); }

http_reply tls_client::send(std::string_view method, std::string_view target, std::string_view body,
                            const header_list& headers) {
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "127.0.0.1");
    for (auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    if (!body.empty() || method == "POST") req.prepare_payload();
    auto& s = *impl_;
    error_code ec;
    beast::get_lowest_layer(s.stream).expires_after(deadline);
    http::async_write(s.stream, req, [&](error_code e, std::size_t) { ec = e; });
    if (s.finish(ec)) return {};
    return read_reply();
}

void tls_client::write_raw(std::string_view bytes) {
    auto& s = *impl_;
    error_code ec;
    beast::get_lowest_layer(s.stream).expires_after(deadline);
    asio::async_write(s.stream, asio::buffer(bytes.data(), bytes.size()), [&](error_code e, std::size_t) { ec = e; });
    s.finish(ec);
}

http_reply tls_client::read_reply() {
    auto& s = *impl_;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    error_code ec;
    beast::get_lowest_layer(s.stream).expires_after(deadline);
    http::async_read(s.stream, s.buffer, parser, [&](error_code e, std::size_t) { ec = e; });
    if (s.finish(ec)) {
        if (ec == beast::error::timeout) throw std::runtime_error("no reply within the deadline");
        return {};
    }
    auto res = parser.release();
    http_reply out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (auto& f : res) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
    return out;
}

bool tls_client::peer_closed() {
    auto& s = *impl_;
    error_code ec;
    char byte;
    beast::get_lowest_layer(s.stream).expires_after(deadline);
    s.stream.async_read_some(asio::buffer(&byte, 1), [&](error_code e, std::size_t) { ec = e; });
    s.finish(ec);
    if (ec == beast::error::timeout) throw std::runtime_error("the server kept the connection open");
    return ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset;
}

unsigned short tls_client::local_port() const {
    return beast::get_lowest_layer(impl_->stream).socket().local_endpoint().port();
}

std::string plain_tcp_exchange(const std::string& host, const std::string& port, std::string_view bytes) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    tcp::resolver resolver(io);
    stream.expires_after(deadline);
    stream.connect(resolver.resolve(host, port));
    error_code ec;
    asio::write(stream.socket(), asio::buffer(bytes.data(), bytes.size()), ec);
    std::string out;
    stream.expires_after(deadline);
    std::function<void()> read_more;
    char buf[4096];
    read_more = [&] {
        stream.async_read_some(asio::buffer(buf), [&](error_code e, std::size_t n) {
            out.append(buf, n);
            if (!e) read_more();
            else if (e == beast::error::timeout) out += "<timeout>";
        });
    };
    read_more();
    io.run();
    return out;
}

}  // namespace prospect::test
