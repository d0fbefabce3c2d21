// File I/O shared by the journal's opening and its compaction (private to
// src/journal): reading a journal in chunks through the parser, writing at
// an offset, syncing a directory entry.
#pragma once

#include "prospect/journal/journal_format.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace prospect::journal::detail {

[[noreturn]] void throw_errno(const std::string& what);

// Reads the journal open as `fd` from its start, 1 MiB at a time, visiting
// its entries; returns the finished parser (header, valid size, torn tail).
// Throws journal_error or std::system_error naming `path`.
journal_parser read_journal(int fd, const std::string& path, const entry_visitor& visit);

// pwrite of all of `bytes` at `at`.
void write_all(int fd, std::string_view bytes, std::uint64_t at, const std::string& path);

// Makes a created or renamed directory entry of `path` durable.
void sync_directory(const std::string& path);

}  // namespace prospect::journal::detail
