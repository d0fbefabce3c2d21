// The client's I/O: resolve and connect (TCP or unix socket, through Asio's
// generic stream socket so that one code path serves both), write the
// hiredis-formatted command, feed what arrives to a redisReader until it
// yields a reply. One deadline timer a command closes the socket when it
// expires, which ends whatever operation is pending with an error.
#include "prospect/shared_limit/redis_client.hpp"

#include <hiredis/hiredis.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

#include "wake_set.hpp"

namespace prospect::shared_limit {
namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct reader_deleter {
    void operator()(redisReader* r) const { redisReaderFree(r); }
};
using reader_ptr = std::unique_ptr<redisReader, reader_deleter>;

redis_reply convert(const redisReply& r) {
    redis_reply out;
    switch (r.type) {
    case REDIS_REPLY_STRING: out.type = redis_reply::kind::string; break;
    case REDIS_REPLY_STATUS: out.type = redis_reply::kind::status; break;
    case REDIS_REPLY_ERROR: out.type = redis_reply::kind::error; break;
    case REDIS_REPLY_INTEGER: out.type = redis_reply::kind::integer; break;
    case REDIS_REPLY_ARRAY: out.type = redis_reply::kind::array; break;
    default: out.type = redis_reply::kind::nil; break;
    }
    if (r.str) out.text.assign(r.str, r.len);
    out.integer = r.integer;
    for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
    return out;
}

}  // namespace

struct redis_client::impl {
    explicit impl(asio::any_io_executor ex) : socket(ex), resolver(ex), deadline(ex), turn(ex) {}

    asio::generic::stream_protocol::socket socket;
    asio::ip::tcp::resolver resolver;
    asio::steady_timer deadline;
    wake_set turn;            // commands waiting for the one in progress
    bool busy = false;
    bool timed_out = false;
    std::uint64_t generation = 0;  // which operation the deadline belongs to
    reader_ptr reader;
    std::array<char, 16 * 1024> buffer{};
    std::uint64_t round_trips = 0;

    void abort() {
        error_code ignored;
        resolver.cancel();
        socket.close(ignored);
    }

    // Arms the deadline for the operation that starts now.
    void arm(const std::shared_ptr<impl>& self, clock::duration timeout) {
        timed_out = false;
        const auto gen = ++generation;
        deadline.expires_after(timeout);
        deadline.async_wait([weak = std::weak_ptr<impl>(self), gen](error_code ec) {
            auto p = weak.lock();
            if (ec || !p || p->generation != gen) return;
            p->timed_out = true;
            p->abort();
        });
    }

    void disarm() {
        ++generation;
        deadline.cancel();
    }

    std::string failure(std::string_view phase, const error_code& ec) const {
        if (timed_out) return std::string(phase) + ": timed out";
        return std::string(phase) + ": " + ec.message();
    }

    asio::awaitable<std::string> open(const redis_endpoint& endpoint) {
        error_code ignored;
        socket.close(ignored);
        reader.reset(redisReaderCreate());
        if (endpoint.is_unix()) {
            auto [ec] = co_await socket.async_connect(asio::local::stream_protocol::endpoint(endpoint.socket_path), use_tuple);
            if (ec) co_return failure("connect to " + endpoint.socket_path, ec);
            co_return "";
        }
        const auto where = endpoint.host + ":" + std::to_string(endpoint.port);
        auto [rec, results] = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), use_tuple);
        if (rec) co_return failure("resolve " + endpoint.host, rec);
        error_code last = asio::error::host_not_found;
        for (const auto& entry : results) {
            socket.close(ignored);
            auto [ec] = co_await socket.async_connect(entry.endpoint(), use_tuple);
            if (!ec) {
                socket.set_option(asio::ip::tcp::no_delay(true), ignored);
                co_return "";
            }
            last = ec;
            if (timed_out) break;
        }
        socket.close(ignored);
        co_return failure("connect to " + where, last);
    }

    // One command on the open socket, the deadline already armed.
    asio::awaitable<redis_result> exchange(const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lens;
        for (const auto& a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        char* formatted = nullptr;
        const int n = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lens.data());
        if (n < 0) co_return redis_result{std::nullopt, "cannot format the command"};
        std::string bytes(formatted, static_cast<std::size_t>(n));
        redisFreeCommand(formatted);

        auto [wec, written] = co_await asio::async_write(socket, asio::buffer(bytes), use_tuple);
        if (wec) co_return redis_result{std::nullopt, failure("write", wec)};
        for (;;) {
            void* raw = nullptr;
            if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) {
                std::string why = reader->errstr;
                abort();
                co_return redis_result{std::nullopt, "bad reply: " + why};
            }
            if (raw) {
                auto* r = static_cast<redisReply*>(raw);
                redis_reply reply = convert(*r);
                freeReplyObject(r);
                ++round_trips;
                co_return redis_result{std::move(reply), {}};
            }
            auto [rec, got] = co_await socket.async_read_some(asio::buffer(buffer), use_tuple);
            if (rec) co_return redis_result{std::nullopt, failure("read", rec)};
            redisReaderFeed(reader.get(), buffer.data(), got);
        }
    }
};

redis_client::redis_client(asio::any_io_executor executor) : impl_(std::make_shared<impl>(std::move(executor))) {}

redis_client::~redis_client() {
    impl_->disarm();
    impl_->abort();
}

asio::awaitable<std::string> redis_client::connect(const redis_endpoint& endpoint, clock::duration timeout) {
    auto self = impl_;
    while (self->busy) co_await self->turn.wait();
    self->busy = true;
    self->arm(self, timeout);
    auto error = co_await self->open(endpoint);
    if (error.empty() && endpoint.db != 0) {
        const std::vector<std::string> select{std::string("SELECT"), std::to_string(endpoint.db)};
        auto selected = co_await self->exchange(select);
        if (!selected.reply) error = selected.error;
        else if (selected.reply->type == redis_reply::kind::error) error = "SELECT " + std::to_string(endpoint.db) + ": " + selected.reply->text;
    }
    self->disarm();
    if (!error.empty()) self->abort();
    self->busy = false;
    self->turn.wake_all();
    co_return error;
}

asio::awaitable<redis_result> redis_client::command(std::vector<std::string> args, clock::duration timeout) {
    auto self = impl_;
    while (self->busy) co_await self->turn.wait();
    if (!self->socket.is_open()) co_return redis_result{std::nullopt, "not connected"};
    self->busy = true;
    self->arm(self, timeout);
    auto result = co_await self->exchange(args);
    self->disarm();
    if (!result.reply) self->abort();
    self->busy = false;
    self->turn.wake_all();
    co_return result;
}

bool redis_client::is_open() const { return impl_->socket.is_open(); }

void redis_client::close() { impl_->abort(); }

std::uint64_t redis_client::round_trips() const { return impl_->round_trips; }

}  // namespace prospect::shared_limit
