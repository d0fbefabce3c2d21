// Readiness is polled, not slept for: a bounded loop of PINGs over a plain
// socket, each with a short receive timeout, until +PONG comes back.
#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace prospect::test {
namespace {

bool answers_ping(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    timeval tv{0, 200000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6) {
        char buf[16];
        auto n = ::recv(fd, buf, sizeof buf, 0);
        ok = n >= 5 && std::string(buf, 5) == "+PONG";
    }
    ::close(fd);
    return ok;
}

}  // namespace

int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot find a free loopback port");
    ::close(fd);
    return ntohs(addr.sin_port);
}

redis_server::redis_server() : port_(free_loopback_port()) { start(); }

redis_server::~redis_server() {
    if (process_) kill();
}

void redis_server::start() {
    if (process_) throw std::logic_error("redis-server is already running");
    process_ = std::make_unique<child>(std::vector<std::string>{
        "/usr/bin/redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", dir_.path().string(), "--logfile", dir_ / "redis.log",
        "--unixsocket", socket_path(), "--unixsocketperm", "700", "--daemonize", "no"});
    // A bounded wait: 1,000 polls 10 ms apart at most (redis-server is up in a few).
    for (int attempt = 0; attempt < 1000; ++attempt) {
        if (answers_ping(port_)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill();
    throw std::runtime_error("redis-server on port " + std::to_string(port_) + " did not answer PING; log: " +
                             read_file_or_empty(dir_ / "redis.log"));
}

void redis_server::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait();
    process_.reset();
}

std::string redis_server::cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"/usr/bin/redis-cli", "-p", std::to_string(port_), "--raw"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = run(argv);
    if (result.status != 0) throw std::runtime_error("redis-cli failed: " + result.err);
    return result.out;
}

}  // namespace prospect::test
