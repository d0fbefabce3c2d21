// Beast's parser fed from the plaintext buffer, one reader per answer (a
// 1xx is an answer of its own, complete at its header); and the final
// answer turned into a post_result.
#include "answer_assembler.hpp"

#include <boost/beast/http/error.hpp>

namespace prospect::net {

namespace http = boost::beast::http;

response_reader& answer_assembler::new_reader() {
    response_reader& reader = reader_.emplace(response_, max_response_body, max_discarded_body);
    reader.eager(true);
    return reader;
}

void answer_assembler::start() {
    new_reader();
    error_ = {};
}

answer_assembler::state answer_assembler::parse() {
    while (plaintext_.size() != 0) {
        std::size_t used = reader_->put(plaintext_.data(), error_);
        plaintext_.consume(used);
        if (error_ == http::error::need_more) {
            error_ = {};
            return state::need_more;
        }
        // Beast refuses a body over max_discarded_body before delivering
        // any of it; the reader has seen none of it, so it is marked here.
        if (error_ == http::error::body_limit) response_.body_discarded = true;
        if (error_) return state::unreadable;
        if (!reader_->is_done()) return state::need_more;
        if (response_.status == 101) return state::switching;
        if (response_.status / 100 != 1) return state::done;
        new_reader();  // an interim answer: the final one follows
    }
    return state::need_more;
}

bool answer_assembler::finish_at_close() {
    if (!reader_->got_some()) return false;
    boost::system::error_code ec;
    reader_->put_eof(ec);
    return !ec && reader_->is_done() && response_.status / 100 != 1;
}

bool answer_assembler::decided() const {
    return response_.body_discarded && reader_->is_header_done() && response_.status / 100 != 1;
}

void answer_assembler::fill(post_result& r, bool whole) {
    r.outcome = post_result::kind::response;
    r.status = response_.status;
    r.retry_after = response_.retry_after;
    r.body_discarded = response_.body_discarded || !whole;
    if (r.body_discarded && r.status / 100 == 2) {
        r.message = "the response's body, over " + std::to_string(max_response_body) + " bytes, was discarded";
        r.api_envelope = false;
        return;
    }
    // A body cut at max_response_body is not JSON: its message is an excerpt, capped.
    envelopes_.parse(r.status, response_.reason, response_.body, envelope_);
    r.body = response_.body;
    r.message = envelope_.message;
    r.api_envelope = envelope_.is_envelope && !r.body_discarded;
}

}  // namespace prospect::net
