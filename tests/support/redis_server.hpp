// A throw-away redis-server for tests: a free loopback port (and a unix
// socket) in a temporary folder, no persistence, ready once it answers PING;
// killed and restarted on the same port at will, stopped at the end.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/process.hpp"

namespace prospect::test {

class redis_server {
public:
    redis_server();   // starts it and waits until it answers PING
    ~redis_server();  // stops it; the folder goes with it

    int port() const { return port_; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    std::string socket_path() const { return dir_ / "redis.sock"; }

    // SIGKILL, as a crash would; then start() brings it back, empty, on the same port.
    void kill();
    void start();
    bool running() const { return process_ != nullptr; }

    // One command through redis-cli (--raw): its standard output.
    std::string cli(const std::vector<std::string>& args) const;

private:
    temp_dir dir_;
    int port_ = 0;
    std::unique_ptr<child> process_;
};

// A loopback TCP port nobody listens on now.
int free_loopback_port();

}  // namespace prospect::test
