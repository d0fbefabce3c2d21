// A small asynchronous Redis client on the caller's io_context: commands are
// formatted by hiredis (redisFormatCommandArgv) and replies parsed by its
// redisReader, over an Asio TCP or unix socket, so nothing blocks the loop.
// One command at a time (callers queue); failures are values, not exceptions.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "prospect/shared_limit/redis_url.hpp"

namespace prospect::shared_limit {

struct redis_reply {
    enum class kind { string, status, error, integer, nil, array };
    kind type = kind::nil;
    std::string text;                  // string, status or error
    long long integer = 0;             // integer
    std::vector<redis_reply> elements; // array
};

// A reply, or why there is none: the connection failed, timed out or was
// closed (it is then closed; connect again). A Redis error ("-ERR ...") is a
// reply of kind error, not a failure of the connection.
struct redis_result {
    std::optional<redis_reply> reply;
    std::string error;
};

// A command's arguments: `client.command(redis_command("SET", key, value), t)`.
// (GCC 12 cannot keep a braced list of string literals alive across a
// co_await, "array used as initializer"; a function call can.)
template <class... Args>
std::vector<std::string> redis_command(const Args&... args) {
    return {std::string(args)...};
}

class redis_client {
public:
    explicit redis_client(boost::asio::any_io_executor executor);
    ~redis_client();
    redis_client(const redis_client&) = delete;
    redis_client& operator=(const redis_client&) = delete;

    // Connects (closing any earlier connection) and SELECTs the endpoint's
    // database, all within `timeout`. Empty on success, otherwise why not.
    boost::asio::awaitable<std::string> connect(const redis_endpoint& endpoint,
                                                std::chrono::steady_clock::duration timeout);

    // Sends one command (each argument one bulk string, binary safe) and
    // waits for its reply, within `timeout` counted from when its turn comes.
    boost::asio::awaitable<redis_result> command(std::vector<std::string> args,
                                                 std::chrono::steady_clock::duration timeout);

    bool is_open() const;
    // Closes the socket; a command in progress ends with an error.
    void close();
    // Commands that got a reply so far.
    std::uint64_t round_trips() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;  // the deadline timer's handler holds a weak_ptr
};

}  // namespace prospect::shared_limit
