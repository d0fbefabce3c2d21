// The journal's bytes, with no I/O: frames (marker, length, CRC-32C, payload),
// a header frame binding the journal to one input and one set of settings,
// then one entries frame per group commit. Parsing tells a torn tail (a crash
// during the last commit: ignored) from corruption before it (an error).
#pragma once

#include "prospect/journal/fingerprint.hpp"
#include "prospect/policy/outcome.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace prospect::journal {

inline constexpr std::uint32_t format_version = 1;

// marker "PJRN" | payload length u32 LE | CRC-32C of (length bytes, payload) u32 LE
inline constexpr std::size_t frame_header_size = 12;
// A larger length field is taken as damage, not as a frame to read.
inline constexpr std::size_t max_frame_payload = 64u << 20;

// Unusable journal: corrupt before its last frame, or not a journal at all.
// The app maps it to exit status 2.
class journal_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct journal_header {
    /// SHA-256 of the input; nullopt when the input could not be hashed up front (standard input).
    std::optional<digest> input;
    /// settings_digest() of the run that wrote the journal.
    digest settings{};
    friend bool operator==(const journal_header&, const journal_header&) = default;
};

// A row's final outcome, as the report shows it.
struct journal_entry {
    std::uint64_t row = 0;
    policy::outcome outcome = policy::outcome::added;
    std::uint16_t http_status = 0;  // 0: no HTTP status seen
    std::uint32_t attempts = 0;
    std::string message;
    std::string normalized_url;
    friend bool operator==(const journal_entry&, const journal_entry&) = default;
};

// Appends a complete header frame.
void append_header_frame(std::string& out, const journal_header& header);

// Entries frames are built in place: begin, append entries, seal (which fills
// in the length and checksum). Returns the offset the frame starts at.
std::size_t begin_entries_frame(std::string& out);
void append_entry(std::string& out, const journal_entry& entry);
void seal_frame(std::string& out, std::size_t frame_start);

// Final outcomes by row: a sorted vector, so a run walking the input in order
// looks rows up cheaply. When a row appears twice the later record wins.
class journal_index {
public:
    journal_index() = default;
    explicit journal_index(std::vector<journal_entry> entries);

    const journal_entry* find(std::uint64_t row) const;
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    std::span<const journal_entry> entries() const { return entries_; }

private:
    std::vector<journal_entry> entries_;
};

struct parsed_journal {
    /// nullopt: empty, or the header itself was torn (a crash while creating it); start afresh.
    std::optional<journal_header> header;
    /// The format version the header carries.
    std::uint32_t version = 0;
    journal_index entries;
    /// Bytes up to the end of the last intact frame: where the next commit goes.
    std::size_t valid_size = 0;
    /// Bytes after it: a commit torn by a crash or power loss, ignored.
    std::size_t torn_bytes = 0;
};

// Throws journal_error (naming `name` and the byte offset) when the bytes are
// not a journal, a frame other than the last is damaged, or the format is newer.
parsed_journal parse_journal(std::string_view bytes, std::string_view name);

}  // namespace prospect::journal
