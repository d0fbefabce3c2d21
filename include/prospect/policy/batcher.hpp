// Valid rows grouped into bulk batches by (campaign, list, move flag): a pure
// machine, time passed in, generic over what a row is (docs/contract.md,
// "Bulk endpoint"). Batches leave in the order of their first row, and the
// rows held stay under a bound whatever the mix of keys in the file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace prospect::policy {

inline constexpr std::size_t min_batch_size = 1;
inline constexpr std::size_t max_batch_size = 1000;

struct batcher_params {
    // --batch-size: rows a batch, min_batch_size to max_batch_size.
    std::size_t batch_size = 100;
    // How long a batch's first row may wait for more rows of its key.
    std::chrono::steady_clock::duration max_wait = std::chrono::milliseconds(200);
    // Rows held at most: batch_size x held_batches (then the oldest batch leaves).
    std::size_t held_batches = 4;
};

// Throws std::invalid_argument naming --batch-size (or the field) when a
// value is out of range.
void check(const batcher_params& params);

struct batch_key_view {
    std::string_view campaign_id;
    std::string_view list_id;
    bool move = false;
};

struct batch_key {
    std::string campaign_id;
    std::string list_id;
    bool move = false;
    batch_key_view view() const noexcept { return {campaign_id, list_id, move}; }
};

struct batch_key_hash {
    std::size_t operator()(batch_key_view k) const noexcept;
};

struct batch_key_equal {
    bool operator()(batch_key_view a, batch_key_view b) const noexcept {
        return a.move == b.move && a.campaign_id == b.campaign_id && a.list_id == b.list_id;
    }
};

template <class Item>
struct batch {
    batch_key key;
    std::vector<Item> items;  // in the order they were added
};

// Use: add() each valid row, then take_ready() until it returns nothing;
// wake at next_deadline() to take_ready() again; at the end of the input or
// on a stop, take_any() until it returns nothing.
template <class Item>
class batcher {
public:
    using clock = std::chrono::steady_clock;

    // Throws as check() does.
    explicit batcher(const batcher_params& params) : params_(params) {
        check(params);
        max_held_ = params.batch_size * params.held_batches;
    }

    // Adds a row to the open batch of its key, or opens one.
    void add(batch_key_view key, Item item, clock::time_point now) {
        auto found = open_.find(key);
        if (found == open_.end()) {
            const std::uint64_t seq = front_seq_ + queue_.size();
            queue_.push_back({{batch_key{std::string(key.campaign_id), std::string(key.list_id), key.move}, {}}, now});
            found = open_.emplace(queue_.back().content.key.view(), seq).first;
        }
        auto& content = queue_[found->second - front_seq_].content;
        content.items.push_back(std::move(item));
        ++held_;
        // A full batch takes no more rows; the key's next row opens another.
        if (content.items.size() >= params_.batch_size) open_.erase(found);
    }

    // The oldest batch, if it may leave now: it is full, its first row has
    // waited max_wait, or the rows held have reached the bound. Younger
    // batches wait behind it, so batches leave in the order of their first row.
    std::optional<batch<Item>> take_ready(clock::time_point now) {
        if (queue_.empty()) return std::nullopt;
        const auto& oldest = queue_.front();
        if (!ready_without_waiting(oldest) && now - oldest.first < params_.max_wait) return std::nullopt;
        return take_front();
    }

    // When take_ready() will next return a batch (a time already passed if it
    // would now); nothing when no row is held.
    std::optional<clock::time_point> next_deadline() const {
        if (queue_.empty()) return std::nullopt;
        const auto& oldest = queue_.front();
        return ready_without_waiting(oldest) ? oldest.first : oldest.first + params_.max_wait;
    }

    // The oldest batch whatever its size or age: to flush at the end of the
    // input, or on a stop.
    std::optional<batch<Item>> take_any() {
        if (queue_.empty()) return std::nullopt;
        return take_front();
    }

    // Rows held.
    std::size_t held() const noexcept { return held_; }
    bool empty() const noexcept { return queue_.empty(); }

private:
    struct pending {
        batch<Item> content;
        clock::time_point first;  // when its first row arrived
    };

    bool ready_without_waiting(const pending& p) const noexcept {
        return p.content.items.size() >= params_.batch_size || held_ >= max_held_;
    }

    batch<Item> take_front() {
        pending& front = queue_.front();
        if (auto found = open_.find(front.content.key.view()); found != open_.end() && found->second == front_seq_)
            open_.erase(found);
        held_ -= front.content.items.size();
        batch<Item> out = std::move(front.content);
        queue_.pop_front();
        ++front_seq_;
        return out;
    }

    batcher_params params_;
    std::size_t max_held_ = 0;
    std::deque<pending> queue_;     // by first row's arrival
    std::uint64_t front_seq_ = 0;   // sequence number of queue_.front()
    // Keys whose newest batch still takes rows, to that batch's sequence
    // number. A key views the batch's own copy: a deque's elements stay where
    // they are, and the entry goes before its batch leaves.
    std::unordered_map<batch_key_view, std::uint64_t, batch_key_hash, batch_key_equal> open_;
    std::size_t held_ = 0;
};

}  // namespace prospect::policy
