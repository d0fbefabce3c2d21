// The journal's bytes, with no I/O: frames (marker, length, CRC-32C, payload),
// a header frame binding the journal to one API (base URL and endpoint kind),
// then entries frames, each holding the final outcomes of keys (normalized
// URL, campaign, list). Parsing is fed the file piece by piece, so a long
// journal is never in memory whole; it tells a torn tail (a crash during the
// last commit: ignored) from corruption before it (an error).
#pragma once

#include "prospect/policy/outcome.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace prospect::journal {

// 1: bound to one input file, entries by row number. 2: keyed by what was sent.
inline constexpr std::uint32_t format_version = 2;

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

// What a journal's keys mean: the same key added to another API, or through
// another endpoint, says nothing about this one.
struct journal_header {
    std::string base_url;
    std::string endpoint;  // "single" or "bulk"
    friend bool operator==(const journal_header&, const journal_header&) = default;
};

// A key's final outcome as the API gave it. The views point into the
// caller's strings (append) or into the frame being parsed (visitors).
struct journal_entry {
    std::string_view normalized_url;
    std::string_view campaign_id;
    std::string_view list_id;
    policy::outcome outcome = policy::outcome::added;  // added or rejected
    bool move = false;                                   // the move flag it was sent with
    std::uint16_t http_status = 0;                       // 0: no HTTP status seen
    std::uint32_t attempts = 0;
    std::string_view message;
    std::chrono::sys_seconds recorded_at{};  // wall-clock time the outcome arrived
    friend bool operator==(const journal_entry&, const journal_entry&) = default;
};

// Bytes an entry takes inside a frame.
std::size_t entry_size(const journal_entry& entry);

// Appends a complete header frame.
void append_header_frame(std::string& out, const journal_header& header);

// Entries frames are built in place: begin, append entries, seal (which fills
// in the length and checksum). Returns the offset the frame starts at.
std::size_t begin_entries_frame(std::string& out);
// Only added and rejected are journal outcomes: std::invalid_argument otherwise.
void append_entry(std::string& out, const journal_entry& entry);
void seal_frame(std::string& out, std::size_t frame_start);

// Called for each entry in file order; `ordinal` counts entries from 0.
using entry_visitor = std::function<void(const journal_entry& entry, std::uint64_t ordinal)>;

// Push parser: give it the file's bytes from consumed() on, as far as read.
class journal_parser {
public:
    explicit journal_parser(std::string name) : name_(std::move(name)) {}

    // Parses the intact frames at the start of `bytes` and returns the bytes
    // they take; the rest (an incomplete or bad frame) is to be given again,
    // with more after it. Throws journal_error when the file is not a journal
    // or its format is not this one.
    std::size_t parse(std::string_view bytes, const entry_visitor& visit);
    // At the end of the file, with what parse() left: a torn tail is noted,
    // damage with intact frames after it throws journal_error.
    void finish(std::string_view rest);

    /// nullopt: empty, or the header itself was torn (a crash while creating it).
    const std::optional<journal_header>& header() const { return header_; }
    /// End of the last intact frame: where the next commit goes.
    std::uint64_t valid_size() const { return consumed_; }
    /// Bytes after it (a torn commit), known after finish().
    std::uint64_t torn_bytes() const { return torn_bytes_; }
    std::uint64_t entries() const { return entries_; }

private:
    std::string name_;
    std::optional<journal_header> header_;
    std::uint64_t consumed_ = 0;
    std::uint64_t torn_bytes_ = 0;
    std::uint64_t entries_ = 0;
};

// "2026-11-30 05:12 UTC": how a report message says when an outcome was recorded.
std::string utc_minute(std::chrono::sys_seconds t);

}  // namespace prospect::journal
