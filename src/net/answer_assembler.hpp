// The bytes-to-answer half of api_connection, without I/O: decrypted bytes
// go in; out comes whether the final answer to the request is complete,
// still coming, or cannot be trusted (RFC 9110 15.2 interim answers are
// skipped; an unasked 101 or bytes after the final answer put requests and
// answers out of step). Private to the net layer.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <optional>

#include "prospect/net/api_connection.hpp"
#include "prospect/net/response.hpp"
#include "prospect/net/response_reader.hpp"

namespace prospect::net {

class answer_assembler {
public:
    enum class state { need_more, done, switching, unreadable };

    // The answer to a new request begins; bytes still held stay (they are
    // checked for by has_leftover() before a request is sent).
    void start();
    // Room for decrypted bytes, then how many were written there.
    boost::asio::mutable_buffer room() { return plaintext_.prepare(16 * 1024); }
    void commit(std::size_t n) { plaintext_.commit(n); }

    // Parses what has come, skipping interim 1xx answers.
    state parse();
    // The connection ended with close_notify: true when that completes the
    // final answer (a body delimited by the close).
    bool finish_at_close();
    // A final status line whose body is being dropped (over
    // max_response_body): the answer is decided however the body ends.
    bool decided() const;
    // Bytes received beyond the final answer, or before a request.
    bool has_leftover() const { return plaintext_.size() != 0; }
    void clear() { plaintext_.consume(plaintext_.size()); }
    bool keep_alive() const { return reader_->keep_alive(); }
    // Why parse() said unreadable.
    const boost::system::error_code& error() const { return error_; }

    // The final answer as a response: status, Retry-After, message and
    // envelope; `whole` is false when its body was not read to the end.
    void fill(post_result& r, bool whole);

private:
    response_reader& new_reader();

    boost::beast::flat_buffer plaintext_;  // decrypted bytes the parser has not taken yet
    response_parts response_;
    std::optional<response_reader> reader_;
    envelope_parser envelopes_;
    api_envelope envelope_;
    boost::system::error_code error_;
};

}  // namespace prospect::net
