// Encoding and parsing of journal frames. All integers are little-endian.
// Only the last commit can be damaged by a crash (each commit is one frame,
// written after the previous one was synced), so a bad frame is a torn tail
// exactly when no intact frame follows it.
#include "prospect/journal/journal_format.hpp"

#include "prospect/journal/crc32c.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace prospect::journal {

namespace {

constexpr std::string_view marker = "PJRN";
constexpr std::string_view magic = "prospect-journal";
constexpr unsigned char header_type = 1;
constexpr unsigned char entries_type = 2;
constexpr unsigned char input_known_flag = 1;

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

// Stable codes on disk, independent of the enum's order.
unsigned char outcome_code(policy::outcome o) {
    switch (o) {
    case policy::outcome::added: return 1;
    case policy::outcome::rejected: return 2;
    case policy::outcome::invalid: return 3;
    case policy::outcome::duplicate: return 4;
    case policy::outcome::failed:
    case policy::outcome::not_sent: break;
    }
    throw std::invalid_argument(fmt::format("the journal records final outcomes only, not {}", to_string(o)));
}

std::optional<policy::outcome> outcome_from_code(unsigned char c) {
    switch (c) {
    case 1: return policy::outcome::added;
    case 2: return policy::outcome::rejected;
    case 3: return policy::outcome::invalid;
    case 4: return policy::outcome::duplicate;
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

}  // namespace

void append_header_frame(std::string& out, const journal_header& header) {
    auto start = out.size();
    out.append(frame_header_size, '\0');
    put(out, header_type);
    out.append(magic);
    put(out, format_version);
    put(out, static_cast<unsigned char>(header.input ? input_known_flag : 0));
    static constexpr digest unknown{};
    const digest& input = header.input ? *header.input : unknown;
    out.append(reinterpret_cast<const char*>(input.data()), input.size());
    out.append(reinterpret_cast<const char*>(header.settings.data()), header.settings.size());
    seal_frame(out, start);
}

std::size_t begin_entries_frame(std::string& out) {
    auto start = out.size();
    out.append(frame_header_size, '\0');
    put(out, entries_type);
    return start;
}

void append_entry(std::string& out, const journal_entry& e) {
    auto code = outcome_code(e.outcome);
    put(out, e.row);
    put(out, code);
    put(out, e.http_status);
    put(out, e.attempts);
    put_bytes(out, e.message);
    put_bytes(out, e.normalized_url);
}

void seal_frame(std::string& out, std::size_t frame_start) {
    auto len = out.size() - frame_start - frame_header_size;
    if (len > max_frame_payload) throw std::length_error("journal frame too large");
    out.replace(frame_start, 4, marker);
    put_at(out, frame_start + 4, static_cast<std::uint32_t>(len));
    auto payload = std::string_view(out).substr(frame_start + frame_header_size);
    put_at(out, frame_start + 8, frame_crc(std::string_view(out).substr(frame_start + 4, 4), payload));
}

journal_index::journal_index(std::vector<journal_entry> entries) {
    // Sorting (row, position) keys and moving each entry once is ~10x cheaper
    // than sorting the entries themselves, whose strings would move log n times.
    std::vector<std::pair<std::uint64_t, std::size_t>> keys;
    keys.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) keys.emplace_back(entries[i].row, i);
    std::sort(keys.begin(), keys.end());
    entries_.reserve(entries.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
        // Of equal rows keep the one appended last.
        if (k + 1 < keys.size() && keys[k + 1].first == keys[k].first) continue;
        entries_.push_back(std::move(entries[keys[k].second]));
    }
}

const journal_entry* journal_index::find(std::uint64_t row) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), row, [](const auto& e, std::uint64_t r) { return e.row < r; });
    return it != entries_.end() && it->row == row ? &*it : nullptr;
}

namespace {

journal_header decode_header(std::string_view payload, std::string_view name, std::uint32_t& version) {
    cursor c(payload);
    if (c.get<unsigned char>() != header_type || c.bytes(magic.size()) != magic || !c.ok())
        throw journal_error(fmt::format("{} is not a prospect-import journal", name));
    version = c.get<std::uint32_t>();
    if (c.ok() && version > format_version)
        throw journal_error(fmt::format("journal {} has format version {}, newer than this prospect-import reads ({})",
                                        name, version, format_version));
    journal_header h;
    auto flags = c.get<unsigned char>();
    auto input = c.bytes(32);
    auto settings = c.bytes(32);
    if (!c.ok() || !c.at_end()) throw journal_error(fmt::format("journal {} has a malformed header", name));
    if (flags & input_known_flag) {
        h.input.emplace();
        std::memcpy(h.input->data(), input.data(), 32);
    }
    std::memcpy(h.settings.data(), settings.data(), 32);
    return h;
}

void decode_entries(std::string_view payload, std::size_t offset, std::string_view name,
                    std::vector<journal_entry>& out) {
    cursor c(payload);
    auto malformed = [&] {
        return journal_error(fmt::format("journal {} is corrupt: malformed record in the frame at byte {}; "
                                         "run again with --restart to start afresh",
                                         name, offset));
    };
    if (c.get<unsigned char>() != entries_type) throw malformed();
    while (!c.at_end()) {
        journal_entry e;
        e.row = c.get<std::uint64_t>();
        auto o = outcome_from_code(c.get<unsigned char>());
        e.http_status = c.get<std::uint16_t>();
        e.attempts = c.get<std::uint32_t>();
        e.message = c.sized_bytes();
        e.normalized_url = c.sized_bytes();
        if (!c.ok() || !o) throw malformed();
        e.outcome = *o;
        out.push_back(std::move(e));
    }
}

}  // namespace

parsed_journal parse_journal(std::string_view bytes, std::string_view name) {
    parsed_journal r;
    std::vector<journal_entry> entries;
    std::size_t off = 0;
    while (off < bytes.size()) {
        auto f = intact_frame_at(bytes, off);
        if (!f) {
            auto head = bytes.substr(0, marker.size());
            if (off == 0 && head != marker.substr(0, head.size()))
                throw journal_error(fmt::format("{} is not a prospect-import journal", name));
            if (intact_frame_after(bytes, off))
                throw journal_error(fmt::format(
                    "journal {} is corrupt at byte {} (a damaged record with intact records after it); "
                    "run again with --restart to start afresh (rows already added may be sent again)",
                    name, off));
            r.torn_bytes = bytes.size() - off;
            break;
        }
        if (off == 0)
            r.header = decode_header(f->payload, name, r.version);
        else
            decode_entries(f->payload, off, name, entries);
        off = f->next;
        r.valid_size = off;
    }
    r.entries = journal_index(std::move(entries));
    return r;
}

}  // namespace prospect::journal
