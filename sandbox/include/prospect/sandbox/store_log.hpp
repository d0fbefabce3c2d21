// --store: the sandbox's prospects kept in an append-only file, so that a
// sandbox killed and restarted with the same file still has them, as a real
// API's database would (the fault matrix restarts one mid-run). One line a
// POST that reached the store (a bulk request: one a URL that did), replayed
// through store::add at start, so the posts counts and moves come back as
// they were.
#pragma once

#include "prospect/sandbox/store.hpp"

#include <cstddef>
#include <string>

namespace prospect::sandbox {

class store_log {
public:
    // Opens or creates `path` and replays it into `into`. A last line without
    // its newline (a write torn by a power loss) is cut off. Throws
    // std::runtime_error naming the file (and the line, if one is malformed).
    store_log(const std::string& path, store& into, std::size_t key_count);
    ~store_log();
    store_log(const store_log&) = delete;
    store_log& operator=(const store_log&) = delete;

    // One write(2) a line, no fsync: what the sandbox answered survives a
    // kill -9 of the sandbox (the page cache has it), which is what tests need.
    void append(std::size_t key, const add_prospect_body& body);
    // A bulk request's lines, staged one by one and written by one flush():
    // one write(2) a request rather than one a URL.
    void stage(std::size_t key, const add_prospect_body& body);
    void flush();

private:
    std::string path_;
    int fd_ = -1;
    std::string line_;
};

}  // namespace prospect::sandbox
