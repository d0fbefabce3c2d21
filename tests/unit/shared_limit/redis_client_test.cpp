// The client against a real redis-server started by the test.
#include "prospect/shared_limit/redis_client.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include <optional>

#include "scenario.hpp"
#include "support/redis_server.hpp"

namespace asio = boost::asio;
using namespace prospect::shared_limit;
using namespace std::chrono_literals;
using prospect::test::redis_server;
using prospect::test::run_scenario;

namespace {

redis_endpoint tcp_endpoint(const redis_server& server, int db = 0) {
    redis_endpoint ep;
    ep.host = "127.0.0.1";
    ep.port = static_cast<std::uint16_t>(server.port());
    ep.db = db;
    return ep;
}

// Its own function, not a lambda: the coroutine outlives the scope that spawns it.
asio::awaitable<void> echo(redis_client& client, int i, int& ok) {
    auto r = co_await client.command(redis_command("ECHO", std::to_string(i)), 1s);
    if (r.reply && r.reply->text == std::to_string(i)) ++ok;
}

}  // namespace

TEST_CASE("a command's reply comes back: status, bulk string (binary safe), integer, nil, array, error") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        REQUIRE(co_await client.connect(tcp_endpoint(server), 2s) == "");
        const std::string value("a\0b\r\nc", 6);
        auto set = co_await client.command(redis_command("SET", "k", value), 1s);
        REQUIRE(set.reply);
        CHECK(set.reply->type == redis_reply::kind::status);
        CHECK(set.reply->text == "OK");
        auto get = co_await client.command(redis_command("GET", "k"), 1s);
        REQUIRE(get.reply);
        CHECK(get.reply->type == redis_reply::kind::string);
        CHECK(get.reply->text == value);
        auto incr = co_await client.command(redis_command("INCRBY", "n", "41"), 1s);
        CHECK(incr.reply->integer == 41);
        auto nil = co_await client.command(redis_command("GET", "missing"), 1s);
        CHECK(nil.reply->type == redis_reply::kind::nil);
        auto time = co_await client.command(redis_command("TIME"), 1s);
        CHECK(time.reply->type == redis_reply::kind::array);
        CHECK(time.reply->elements.size() == 2);
        auto bad = co_await client.command(redis_command("NOSUCHCOMMAND"), 1s);
        REQUIRE(bad.reply);
        CHECK(bad.reply->type == redis_reply::kind::error);
        CHECK(client.is_open());  // an error reply leaves the connection usable
        CHECK(client.round_trips() == 6);
    });
}

TEST_CASE("commands issued together by several coroutines each get their own reply") {
    redis_server server;
    int ok = 0;
    std::optional<redis_client> client_slot;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        auto& client = client_slot.emplace(ex);
        REQUIRE(co_await client.connect(tcp_endpoint(server), 2s) == "");
        for (int i = 0; i < 20; ++i) asio::co_spawn(ex, echo(client, i, ok), asio::detached);
        auto last = co_await client.command(redis_command("ECHO", "last"), 1s);
        CHECK(last.reply->text == "last");
        auto ping = co_await client.command(redis_command("PING"), 1s);
        CHECK(ping.reply->text == "PONG");
        // The echoes' replies came before PING's; let their coroutines take
        // them, then destroy the client before the loop its timer belongs to.
        asio::steady_timer turn(ex);
        for (int i = 0; i < 100 && ok < 20; ++i) {
            turn.expires_after(10ms);
            co_await turn.async_wait(asio::use_awaitable);
        }
        client_slot.reset();
    });
    CHECK(ok == 20);  // the loop ran until every coroutine had its reply
}

TEST_CASE("the URL's database is selected, and a unix socket works like TCP") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        REQUIRE(co_await client.connect(tcp_endpoint(server, 3), 2s) == "");
        co_await client.command(redis_command("SET", "in3", "yes"), 1s);
        redis_client local(ex);
        REQUIRE(co_await local.connect(parse_redis_url("unix://" + server.socket_path() + "?db=3"), 2s) == "");
        auto get = co_await local.command(redis_command("GET", "in3"), 1s);
        CHECK(get.reply->text == "yes");
    });
    CHECK(server.cli({"-n", "3", "GET", "in3"}) == "yes\n");
    CHECK(server.cli({"GET", "in3"}) == "\n");
}

TEST_CASE("nobody listening: connect says where it failed, commands then fail as values") {
    const int port = prospect::test::free_loopback_port();
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        redis_endpoint ep;
        ep.host = "127.0.0.1";
        ep.port = static_cast<std::uint16_t>(port);
        auto error = co_await client.connect(ep, 2s);
        CHECK(error.find("connect to 127.0.0.1:" + std::to_string(port)) != std::string::npos);
        auto r = co_await client.command(redis_command("PING"), 1s);
        CHECK_FALSE(r.reply);
        CHECK(r.error == "not connected");
    });
}

TEST_CASE("a server that dies mid-conversation ends the command with an error, not a hang") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        REQUIRE(co_await client.connect(tcp_endpoint(server), 2s) == "");
        server.kill();
        auto r = co_await client.command(redis_command("PING"), 5s);
        CHECK_FALSE(r.reply);
        CHECK_FALSE(r.error.empty());
        CHECK_FALSE(client.is_open());
    });
}

TEST_CASE("a command that gets no answer in time fails as timed out") {
    redis_server server;
    run_scenario([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        redis_client client(ex);
        REQUIRE(co_await client.connect(tcp_endpoint(server), 2s) == "");
        // BLPOP on an empty list answers only after its own 5 s.
        auto r = co_await client.command(redis_command("BLPOP", "empty", "5"), 50ms);
        CHECK_FALSE(r.reply);
        CHECK(r.error == "read: timed out");
    });
}
