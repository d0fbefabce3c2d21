// What binds a journal to a run: a SHA-256 of the input bytes (fed chunk by
// chunk as they are read, or of a whole file up front) and a digest of the
// settings that change what is sent for a row.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect::journal {

using digest = std::array<unsigned char, 32>;

std::string to_hex(const digest& d);

// Incremental SHA-256 (OpenSSL EVP). With SHA-NI (the build machine has it)
// it costs ~0.75 s of CPU per GiB; without, ~5 s (coreutils sha256sum's speed).
class sha256 {
public:
    sha256();
    ~sha256();
    sha256(sha256&&) noexcept;
    sha256& operator=(sha256&&) noexcept;

    void update(std::string_view bytes);
    // Ends this hash and starts a new one.
    digest finish();

private:
    struct state;
    std::unique_ptr<state> state_;
};

// SHA-256 of a whole file, read in 1 MiB chunks; throws std::system_error
// naming the path. For a regular input this is the resume check done before
// anything is sent, at the cost of one extra read of the input: measured
// 0.75 s user + 0.7 s system CPU per GiB from the page cache (the system part
// is the copy; mmap would avoid it, but a file truncated under us would kill
// the run with SIGBUS). The file may still change after it was hashed: the
// reader should hash what it actually reads with sha256 and compare at EOF.
digest fingerprint_file(const std::string& path);

struct settings_params {
    /// --campaign as it applies to rows without their own (UUID; case is ignored), empty if none.
    std::string campaign;
    /// --list as it applies to rows without their own (UUID; case is ignored), empty if none.
    std::string list;
    /// --move-duplicates (true) or --no-move-duplicates (false).
    bool move_duplicates = false;
    /// The effective column mapping, field -> header as resolved (given or detected); order is irrelevant.
    std::vector<std::pair<std::string, std::string>> columns;
    /// The effective field delimiter (given or detected).
    char delimiter = ',';
    /// The API base URL: rows added to one server are not added to another.
    std::string base_url;
};

// Pass effective values (after detection), so that spelling out on the
// command line what was detected anyway is not a change of settings.
digest settings_digest(const settings_params& params);

}  // namespace prospect::journal
