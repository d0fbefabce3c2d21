// UTF-16 and 8-bit input decoded to UTF-8 as it is read, through glibc's
// iconv, a buffer at a time: memory stays two fixed buffers whatever the
// file's size. What does not decode (an unpaired surrogate, a byte
// Windows-1252 leaves undefined, a last odd byte) becomes U+FFFD, so the
// rows after it still read.
#include "source.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace prospect::csv {
namespace {

constexpr std::size_t buffer_bytes = std::size_t{64} << 10;
constexpr std::string_view replacement = "\xEF\xBF\xBD";

class decoding_source final : public record_reader::source {
public:
    decoding_source(source_ptr raw, std::string head, const char* charset, std::size_t unit, const std::string& name)
        : raw_(std::move(raw)), unit_(unit), in_(std::max(buffer_bytes, head.size())), out_(buffer_bytes) {
        cd_ = ::iconv_open("UTF-8", charset);
        if (cd_ == reinterpret_cast<iconv_t>(-1))
            throw input_error("cannot read " + name + " as " + charset + ": " + std::strerror(errno));
        std::memcpy(in_.data(), head.data(), head.size());
        in_end_ = head.size();
    }
    ~decoding_source() override { ::iconv_close(cd_); }

    std::size_t read(char* into, std::size_t size) override {
        while (out_begin_ == out_end_)
            if (!decode()) return 0;
        const std::size_t n = std::min(size, out_end_ - out_begin_);
        std::memcpy(into, out_.data() + out_begin_, n);
        out_begin_ += n;
        return n;
    }
    std::uint64_t consumed() const override { return raw_->consumed(); }
    std::optional<std::uint64_t> size() const override { return raw_->size(); }
    bool regular_file() const override { return raw_->regular_file(); }

private:
    // Refills the output buffer; false once the input is used up.
    bool decode() {
        out_begin_ = out_end_ = 0;
        if (in_begin_ == in_end_ || need_more_) {
            if (!read_more()) {
                if (in_begin_ == in_end_) return false;
                append_replacement();  // a sequence cut off by the end of input
                in_begin_ = in_end_;
                return true;
            }
        }
        char* in = in_.data() + in_begin_;
        std::size_t in_left = in_end_ - in_begin_;
        char* out = out_.data();
        std::size_t out_left = out_.size() - replacement.size();
        const std::size_t done = ::iconv(cd_, &in, &in_left, &out, &out_left);
        in_begin_ = static_cast<std::size_t>(in - in_.data());
        out_end_ = static_cast<std::size_t>(out - out_.data());
        if (done == static_cast<std::size_t>(-1)) {
            if (errno == EILSEQ) {
                append_replacement();
                in_begin_ = std::min(in_begin_ + unit_, in_end_);
            } else if (errno == EINVAL) {
                need_more_ = true;  // an incomplete sequence: its rest is in the next read
            }
        }
        return true;
    }

    // Moves what is left to the front and reads once; false at end of input.
    bool read_more() {
        std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
        in_end_ -= in_begin_;
        in_begin_ = 0;
        need_more_ = false;
        if (raw_done_) return false;
        const std::size_t n = raw_->read(in_.data() + in_end_, in_.size() - in_end_);
        if (n == 0) {
            raw_done_ = true;
            return false;
        }
        in_end_ += n;
        return true;
    }

    void append_replacement() {
        std::memcpy(out_.data() + out_end_, replacement.data(), replacement.size());
        out_end_ += replacement.size();
    }

    source_ptr raw_;
    std::size_t unit_;
    iconv_t cd_;
    std::vector<char> in_, out_;
    std::size_t in_begin_ = 0, in_end_ = 0;
    std::size_t out_begin_ = 0, out_end_ = 0;
    bool need_more_ = false;
    bool raw_done_ = false;
};

}  // namespace

source_ptr make_decoding_source(source_ptr raw, std::string head, const char* charset, std::size_t unit,
                                const std::string& name) {
    return std::make_unique<decoding_source>(std::move(raw), std::move(head), charset, unit, name);
}

}  // namespace prospect::csv
