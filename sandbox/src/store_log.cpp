// Line format: KEY MOVE URL CAMPAIGN LIST, space-separated: the URL is a
// normalized (percent-encoded) profile URL and the ids lower-case UUIDs, so
// none holds a space or a line break.
#include "prospect/sandbox/store_log.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace prospect::sandbox {
namespace {

std::runtime_error failure(const std::string& path, const std::string& what) {
    return std::runtime_error("--store " + path + ": " + what);
}

std::string read_all(int fd, const std::string& path) {
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw failure(path, std::strerror(errno));
        if (n == 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

// Splits `line` into exactly `n` space-separated fields.
template <std::size_t n>
bool split(std::string_view line, std::string_view (&fields)[n]) {
    for (std::size_t i = 0; i < n; ++i) {
        auto sp = i + 1 < n ? line.find(' ') : line.size();
        if (sp == std::string_view::npos || sp == 0) return false;
        fields[i] = line.substr(0, sp);
        line.remove_prefix(i + 1 < n ? sp + 1 : sp);
    }
    return line.empty() && fields[n - 1].find(' ') == std::string_view::npos;
}

}  // namespace

store_log::store_log(const std::string& path, store& into, std::size_t key_count) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw failure(path, std::strerror(errno));
    try {
        auto text = read_all(fd_, path);
        auto whole = text.rfind('\n') + 1;  // 0 when there is no complete line
        if (whole != text.size() && ::ftruncate(fd_, static_cast<off_t>(whole)) != 0)
            throw failure(path, std::string("cutting off a torn last line: ") + std::strerror(errno));
        std::size_t line_no = 0;
        for (std::string_view rest(text.data(), whole); !rest.empty();) {
            auto nl = rest.find('\n');
            auto line = rest.substr(0, nl);
            rest.remove_prefix(nl + 1);
            ++line_no;
            std::string_view f[5];
            std::size_t key = 0;
            bool ok = split(line, f) && std::from_chars(f[0].data(), f[0].data() + f[0].size(), key).ec == std::errc{} &&
                      (f[1] == "0" || f[1] == "1");
            if (!ok) throw failure(path, "line " + std::to_string(line_no) + " is not a store record");
            if (key >= key_count)
                throw failure(path, "line " + std::to_string(line_no) + " belongs to API key #" + std::to_string(key + 1) +
                                        ", but only " + std::to_string(key_count) + " --api-key given");
            into.add(key, {std::string(f[2]), std::string(f[3]), std::string(f[4]), f[1] == "1"});
        }
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

store_log::~store_log() { ::close(fd_); }

void store_log::append(std::size_t key, const add_prospect_body& body) {
    stage(key, body);
    flush();
}

void store_log::stage(std::size_t key, const add_prospect_body& body) {
    line_ += std::to_string(key);
    line_ += body.move_duplicated ? " 1 " : " 0 ";
    line_ += body.profile_url;
    line_ += ' ';
    line_ += body.campaign_id;
    line_ += ' ';
    line_ += body.prospect_list_id;
    line_ += '\n';
}

void store_log::flush() {
    // O_APPEND: one write is its lines, whole, at the end. What failed to be
    // written is forgotten: the request is answered 500, so its client sends it again.
    std::string_view rest = line_;
    while (!rest.empty()) {
        ssize_t n = ::write(fd_, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            line_.clear();
            throw failure(path_, std::strerror(errno));
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    line_.clear();
}

}  // namespace prospect::sandbox
