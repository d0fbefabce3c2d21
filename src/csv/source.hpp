// Where the record reader's bytes come from (private to src/csv): a file
// descriptor, memory, or either of them behind a decoder to UTF-8. A regular
// file is watched for changes while it is read (docs/contract.md "What is read").
#pragma once

#include "prospect/csv/record_reader.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace prospect::csv {

struct record_reader::source {
    virtual ~source() = default;
    // Up to `size` bytes (UTF-8 once decoded); 0 only at end of input.
    virtual std::size_t read(char* into, std::size_t size) = 0;
    // Input bytes taken so far, before any decoding: what a size compares with.
    virtual std::uint64_t consumed() const = 0;
    // Known for regular files (what is left to read from where it was opened) and memory.
    virtual std::optional<std::uint64_t> size() const = 0;
    virtual bool regular_file() const = 0;
};

using source_ptr = std::unique_ptr<record_reader::source>;

struct fd_source_params {
    std::string path;       // "-" = standard input (fd 0, not closed)
    std::string name;       // for messages
    // A regular file's size and modification time are compared with those
    // at open after this many bytes, and at the end of input.
    std::uint64_t check_every = std::uint64_t{4} << 20;
};

// Opens the path once. Anything that is not a regular file (a pipe, a FIFO,
// /dev/stdin, a terminal) is read as a stream; a regular file that changes
// while it is read throws input_changed.
source_ptr open_fd_source(const fd_source_params& p);
source_ptr make_memory_source(std::string_view data);

// Decodes `raw` (whose first bytes, already read, are `head`) from the iconv
// charset `charset` to UTF-8; a byte sequence that does not decode becomes
// U+FFFD. `unit` is the charset's code unit in bytes (2 for UTF-16).
source_ptr make_decoding_source(source_ptr raw, std::string head, const char* charset, std::size_t unit,
                                const std::string& name);

}  // namespace prospect::csv
