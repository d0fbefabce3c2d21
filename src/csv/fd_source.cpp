// Reading the input once, from a descriptor or memory. A regular file is
// compared with what it was at open (size, modification time) every few MiB
// and at the end: a file appended to, truncated or rewritten while it is read
// would otherwise be imported as a mix of two versions.
#include "source.hpp"
#include "wording.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace prospect::csv {
namespace {

bool same_time(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

class fd_source final : public record_reader::source {
public:
    fd_source(int fd, bool owned, const fd_source_params& p) : fd_(fd), owned_(owned), name_(p.name) {
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return;
        const off_t at = ::lseek(fd_, 0, SEEK_CUR);
        regular_ = true;
        opened_ = st;
        start_ = at > 0 ? static_cast<std::uint64_t>(at) : 0;
        check_every_ = std::max<std::uint64_t>(p.check_every, 1);
        next_check_ = check_every_;
    }
    ~fd_source() override {
        if (owned_) ::close(fd_);
    }

    std::size_t read(char* into, std::size_t size) override {
        ssize_t n;
        while ((n = ::read(fd_, into, size)) < 0)
            if (errno != EINTR) throw input_error("cannot read " + name_ + ": " + std::strerror(errno));
        consumed_ += static_cast<std::uint64_t>(n);
        if (regular_ && (n == 0 || consumed_ >= next_check_ || start_ + consumed_ > file_size())) {
            check_unchanged(n == 0);
            next_check_ = consumed_ + check_every_;
        }
        return static_cast<std::size_t>(n);
    }
    std::uint64_t consumed() const override { return consumed_; }
    std::optional<std::uint64_t> size() const override {
        if (!regular_) return std::nullopt;
        return file_size() - std::min(start_, file_size());
    }
    bool regular_file() const override { return regular_; }

private:
    std::uint64_t file_size() const { return static_cast<std::uint64_t>(opened_.st_size); }

    void check_unchanged(bool at_end) const {
        struct stat now {};
        if (::fstat(fd_, &now) != 0) throw input_error("cannot read " + name_ + ": " + std::strerror(errno));
        const std::uint64_t was = file_size();
        const auto is = static_cast<std::uint64_t>(now.st_size);
        std::string what;
        if (is > was || start_ + consumed_ > was)
            what = "it grew from " + with_commas(was) + " to " + with_commas(std::max(is, start_ + consumed_)) +
                   " bytes (rows appended?)";
        else if (is < was || (at_end && start_ + consumed_ < was))
            what = "it shrank from " + with_commas(was) + " to " + with_commas(is < was ? is : start_ + consumed_) +
                   " bytes (truncated or rewritten?)";
        else if (!same_time(now.st_mtim, opened_.st_mtim))
            what = "it was modified (same size, " + with_commas(was) + " bytes: rewritten in place?)";
        if (what.empty()) return;
        throw input_changed(name_ + " changed while it was being read: " + what +
                            "; its rows may mix two versions. Run again once the file is complete (write exports "
                            "under another name and rename them into place)");
    }

    int fd_;
    bool owned_;
    std::string name_;
    bool regular_ = false;
    struct stat opened_ {};
    std::uint64_t start_ = 0;
    std::uint64_t consumed_ = 0;
    std::uint64_t check_every_ = 0;
    std::uint64_t next_check_ = 0;
};

class memory_source final : public record_reader::source {
public:
    explicit memory_source(std::string_view data) : data_(data) {}
    std::size_t read(char* into, std::size_t size) override {
        std::size_t n = std::min(size, data_.size() - at_);
        std::memcpy(into, data_.data() + at_, n);
        at_ += n;
        return n;
    }
    std::uint64_t consumed() const override { return at_; }
    std::optional<std::uint64_t> size() const override { return data_.size(); }
    bool regular_file() const override { return false; }

private:
    std::string data_;
    std::size_t at_ = 0;
};

}  // namespace

source_ptr open_fd_source(const fd_source_params& p) {
    if (p.path == "-") return std::make_unique<fd_source>(0, false, p);
    int fd = ::open(p.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw input_error("cannot open " + p.name + ": " + std::strerror(errno));
    return std::make_unique<fd_source>(fd, true, p);
}

source_ptr make_memory_source(std::string_view data) { return std::make_unique<memory_source>(data); }

}  // namespace prospect::csv
