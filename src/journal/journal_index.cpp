// The index is built once at open (appends during a run need not enter it:
// the reader's de-duplication already settles a key seen twice in a run),
// so a sorted vector beats a hash table: no empty slots, and a lookup is a
// binary search of ~20 steps for a million keys.
#include "prospect/journal/journal_index.hpp"

#include "prospect/lead/fingerprint.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <tuple>

namespace prospect::journal {

namespace {

bool hash_less(const std::uint32_t (&a)[4], const std::uint32_t (&b)[4]) {
    return std::tie(a[0], a[1], a[2], a[3]) < std::tie(b[0], b[1], b[2], b[3]);
}

bool hash_equal(const std::uint32_t (&a)[4], const std::uint32_t (&b)[4]) {
    return std::memcmp(a, b, sizeof a) == 0;
}

}  // namespace

bool is_final_for(const recorded_outcome& r, bool move) {
    return r.outcome == policy::outcome::added || r.move == move;
}

std::string resumed_message(const recorded_outcome& r) {
    if (r.outcome == policy::outcome::added) return "added by an earlier run on " + utc_minute(r.recorded_at);
    return std::string(r.message);
}

bool worth_compacting(std::uint64_t entries, std::size_t live_keys) {
    auto superseded = entries - live_keys;
    return superseded > 0 && superseded >= live_keys;
}

journal_index::slot journal_index::key_slot(std::string_view url, std::string_view campaign,
                                            std::string_view list) const {
    // '\n' cannot occur in a normalized URL (it would be %0A) nor in a UUID,
    // so the concatenation is unambiguous.
    key_.assign(url);
    key_ += '\n';
    key_ += campaign;
    key_ += '\n';
    key_ += list;
    auto f = lead::murmur3_x64_128(key_);
    slot s{};
    s.hash[0] = static_cast<std::uint32_t>(f.h1);
    s.hash[1] = static_cast<std::uint32_t>(f.h1 >> 32);
    s.hash[2] = static_cast<std::uint32_t>(f.h2);
    s.hash[3] = static_cast<std::uint32_t>(f.h2 >> 32);
    return s;
}

void journal_index::add(const journal_entry& e, std::uint64_t ordinal) {
    if (ordinal >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("journal: more than 4294967294 entries");
    if (messages_.empty()) {
        messages_.emplace_back();
        message_ids_.emplace(std::string(), 0);
    }
    auto s = key_slot(e.normalized_url, e.campaign_id, e.list_id);
    s.ordinal = static_cast<std::uint32_t>(ordinal);
    auto seconds = e.recorded_at.time_since_epoch().count();
    s.recorded_at = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(seconds, 0, std::numeric_limits<std::uint32_t>::max()));
    auto [it, fresh] = message_ids_.try_emplace(std::string(e.message), static_cast<std::uint32_t>(messages_.size()));
    if (fresh) messages_.emplace_back(e.message);
    s.message = it->second;
    s.attempts = e.attempts;
    s.http_status = e.http_status;
    s.outcome = static_cast<std::uint8_t>(e.outcome);
    s.move = e.move ? 1 : 0;
    slots_.push_back(s);
    ++entries_;
}

void journal_index::seal() {
    std::sort(slots_.begin(), slots_.end(), [](const slot& a, const slot& b) {
        if (hash_less(a.hash, b.hash)) return true;
        if (hash_less(b.hash, a.hash)) return false;
        return a.ordinal < b.ordinal;
    });
    // Of equal keys keep the last in the file: the latest outcome.
    auto out = slots_.begin();
    for (auto it = slots_.begin(); it != slots_.end(); ++it) {
        auto next = it + 1;
        if (next != slots_.end() && hash_equal(next->hash, it->hash)) continue;
        *out++ = *it;
    }
    slots_.erase(out, slots_.end());
    slots_.shrink_to_fit();
    message_ids_ = {};
}

const journal_index::slot* journal_index::find_slot(const slot& wanted) const {
    auto it = std::lower_bound(slots_.begin(), slots_.end(), wanted,
                               [](const slot& a, const slot& b) { return hash_less(a.hash, b.hash); });
    return it != slots_.end() && hash_equal(it->hash, wanted.hash) ? &*it : nullptr;
}

std::optional<recorded_outcome> journal_index::find(std::string_view normalized_url, std::string_view campaign_id,
                                                    std::string_view list_id) const {
    const slot* s = find_slot(key_slot(normalized_url, campaign_id, list_id));
    if (!s) return std::nullopt;
    return recorded_outcome{static_cast<policy::outcome>(s->outcome),
                            s->move != 0,
                            s->http_status,
                            s->attempts,
                            messages_[s->message],
                            std::chrono::sys_seconds(std::chrono::seconds(s->recorded_at))};
}

bool journal_index::is_latest(const journal_entry& e, std::uint64_t ordinal) const {
    const slot* s = find_slot(key_slot(e.normalized_url, e.campaign_id, e.list_id));
    return s && s->ordinal == ordinal;
}

std::size_t journal_index::memory_bytes() const {
    std::size_t n = slots_.capacity() * sizeof(slot) + messages_.capacity() * sizeof(std::string);
    for (const auto& m : messages_) n += m.capacity() > 15 ? m.capacity() + 1 : 0;
    return n;
}

}  // namespace prospect::journal
