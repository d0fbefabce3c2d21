// Encoding and parsing of journal frames. All integers are little-endian.
// Only the last commit can be damaged by a crash (each commit is one frame,
// written after the previous one), so a bad frame is a torn tail exactly
// when no intact frame follows it.
#include "prospect/journal/journal_format.hpp"

#include "prospect/journal/crc32c.hpp"

#include <ctime>
#include <fmt/format.h>

namespace prospect::journal {

namespace {

constexpr std::string_view marker = "PJRN";
constexpr std::string_view magic = "prospect-journal";
constexpr unsigned char header_type = 1;
constexpr unsigned char entries_type = 2;

template <class T>
void put(std::string& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) out += static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF);
}

template <class T>
void put_at(std::string& out, std::size_t at, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out[at + i] = static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF);
}

void put_bytes(std::string& out, std::string_view s) {
    put(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

// Stable codes on disk, independent of the enum's order (3 and 4 were
// invalid and duplicate in format 1; they are not the API's answers).
unsigned char outcome_code(policy::outcome o) {
    switch (o) {
    case policy::outcome::added: return 1;
    case policy::outcome::rejected: return 2;
    default: break;
    }
    throw std::invalid_argument(fmt::format("the journal records added and rejected keys only, not {}", to_string(o)));
}

std::optional<policy::outcome> outcome_from_code(unsigned char c) {
    switch (c) {
    case 1: return policy::outcome::added;
    case 2: return policy::outcome::rejected;
    default: return std::nullopt;
    }
}

// Reads fields off a payload; a read past its end clears ok() instead of throwing.
class cursor {
public:
    explicit cursor(std::string_view s) : s_(s) {}
    bool ok() const { return ok_; }
    bool at_end() const { return s_.empty(); }

    template <class T>
    T get() {
        if (!take(sizeof(T))) return T{};
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) v |= std::uint64_t(static_cast<unsigned char>(last_[i])) << (8 * i);
        return static_cast<T>(v);
    }
    std::string_view bytes(std::size_t n) { return take(n) ? last_ : std::string_view{}; }
    std::string_view sized_bytes() { return bytes(get<std::uint32_t>()); }

private:
    bool take(std::size_t n) {
        if (!ok_ || s_.size() < n) {
            ok_ = false;
            return false;
        }
        last_ = s_.substr(0, n);
        s_.remove_prefix(n);
        return true;
    }
    std::string_view s_;
    std::string_view last_;
    bool ok_ = true;
};

struct frame {
    std::string_view payload;
    std::size_t next = 0;
};

std::uint32_t frame_crc(std::string_view length_bytes, std::string_view payload) {
    return crc32c(payload, crc32c(length_bytes));
}

std::optional<frame> intact_frame_at(std::string_view bytes, std::size_t off) {
    if (bytes.size() - off < frame_header_size || bytes.substr(off, 4) != marker) return std::nullopt;
    cursor c(bytes.substr(off + 4, 8));
    auto len = c.get<std::uint32_t>();
    auto crc = c.get<std::uint32_t>();
    if (len > max_frame_payload || len > bytes.size() - off - frame_header_size) return std::nullopt;
    auto payload = bytes.substr(off + frame_header_size, len);
    if (frame_crc(bytes.substr(off + 4, 4), payload) != crc) return std::nullopt;
    return frame{payload, off + frame_header_size + len};
}

bool intact_frame_after(std::string_view bytes, std::size_t off) {
    for (auto p = bytes.find(marker, off + 1); p != std::string_view::npos; p = bytes.find(marker, p + 1))
        if (intact_frame_at(bytes, p)) return true;
    return false;
}

std::string restart_hint() { return "run again with --restart to start afresh (keys already added may be sent again)"; }

journal_header decode_header(std::string_view payload, std::string_view name) {
    cursor c(payload);
    if (c.get<unsigned char>() != header_type || c.bytes(magic.size()) != magic || !c.ok())
        throw journal_error(fmt::format("{} is not a prospect-import journal", name));
    auto version = c.get<std::uint32_t>();
    if (c.ok() && version > format_version)
        throw journal_error(fmt::format("journal {} has format version {}, newer than this prospect-import reads ({})",
                                        name, version, format_version));
    if (c.ok() && version < format_version)
        throw journal_error(fmt::format("journal {} was written by an older prospect-import (format {}, bound to "
                                        "one input file and its row numbers); {}",
                                        name, version, restart_hint()));
    journal_header h;
    h.base_url = c.sized_bytes();
    h.endpoint = c.sized_bytes();
    if (!c.ok() || !c.at_end()) throw journal_error(fmt::format("journal {} has a malformed header", name));
    return h;
}

}  // namespace

std::size_t entry_size(const journal_entry& e) {
    return 1 + 1 + 2 + 4 + 8 + 4 * 4 + e.normalized_url.size() + e.campaign_id.size() + e.list_id.size() +
           e.message.size();
}

void append_header_frame(std::string& out, const journal_header& header) {
    auto start = out.size();
    out.append(frame_header_size, '\0');
    put(out, header_type);
    out.append(magic);
    put(out, format_version);
    put_bytes(out, header.base_url);
    put_bytes(out, header.endpoint);
    seal_frame(out, start);
}

std::size_t begin_entries_frame(std::string& out) {
    auto start = out.size();
    out.append(frame_header_size, '\0');
    put(out, entries_type);
    return start;
}

void append_entry(std::string& out, const journal_entry& e) {
    put(out, outcome_code(e.outcome));
    put(out, static_cast<unsigned char>(e.move ? 1 : 0));
    put(out, e.http_status);
    put(out, e.attempts);
    put(out, static_cast<std::int64_t>(e.recorded_at.time_since_epoch().count()));
    put_bytes(out, e.normalized_url);
    put_bytes(out, e.campaign_id);
    put_bytes(out, e.list_id);
    put_bytes(out, e.message);
}

void seal_frame(std::string& out, std::size_t frame_start) {
    auto len = out.size() - frame_start - frame_header_size;
    if (len > max_frame_payload) throw std::length_error("journal frame too large");
    out.replace(frame_start, 4, marker);
    put_at(out, frame_start + 4, static_cast<std::uint32_t>(len));
    auto payload = std::string_view(out).substr(frame_start + frame_header_size);
    put_at(out, frame_start + 8, frame_crc(std::string_view(out).substr(frame_start + 4, 4), payload));
}

std::size_t journal_parser::parse(std::string_view bytes, const entry_visitor& visit) {
    if (consumed_ == 0) {
        auto head = bytes.substr(0, marker.size());
        if (head != marker.substr(0, head.size()))
            throw journal_error(fmt::format("{} is not a prospect-import journal", name_));
    }
    std::size_t off = 0;
    while (auto f = intact_frame_at(bytes, off)) {
        auto at = consumed_ + off;
        if (at == 0) {
            header_ = decode_header(f->payload, name_);
        } else {
            cursor c(f->payload);
            auto malformed = [&] {
                return journal_error(fmt::format("journal {} is corrupt: malformed record in the frame at byte {}; {}",
                                                 name_, at, restart_hint()));
            };
            if (c.get<unsigned char>() != entries_type) throw malformed();
            while (!c.at_end()) {
                journal_entry e;
                auto o = outcome_from_code(c.get<unsigned char>());
                e.move = c.get<unsigned char>() != 0;
                e.http_status = c.get<std::uint16_t>();
                e.attempts = c.get<std::uint32_t>();
                e.recorded_at = std::chrono::sys_seconds(std::chrono::seconds(c.get<std::int64_t>()));
                e.normalized_url = c.sized_bytes();
                e.campaign_id = c.sized_bytes();
                e.list_id = c.sized_bytes();
                e.message = c.sized_bytes();
                if (!c.ok() || !o) throw malformed();
                e.outcome = *o;
                visit(e, entries_++);
            }
        }
        off = f->next;
    }
    consumed_ += off;
    return off;
}

void journal_parser::finish(std::string_view rest) {
    if (!rest.empty() && intact_frame_after(rest, 0))
        throw journal_error(fmt::format("journal {} is corrupt at byte {} (a damaged record with intact records after "
                                        "it); {}",
                                        name_, consumed_, restart_hint()));
    torn_bytes_ = rest.size();
}

std::string utc_minute(std::chrono::sys_seconds t) {
    std::time_t tt = static_cast<std::time_t>(t.time_since_epoch().count());
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min);
}

}  // namespace prospect::journal
