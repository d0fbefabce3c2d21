// Batches passed from one producer thread to one consumer, in order, through
// a bounded ring: the producer waits for room, the consumer either waits or
// is called back (from the producer's thread) once a batch or the end is
// there. A failure of the producer reaches the consumer after every batch
// handed over before it. Batches circulate instead of being freed: each put
// gives the producer back one the consumer is done with, buffers and all.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace prospect::app {

enum class take_status { ready, pending, ended };

template <class Batch>
class batch_handoff {
public:
    // `capacity`: batches handed over and not yet taken, at least one. With
    // the producer's and the consumer's own, capacity + 2 batches exist.
    explicit batch_handoff(std::size_t capacity) : ring_(capacity < 1 ? 1 : capacity) {}

    // Producer. Hands `b` over and gives back in it a batch the consumer is
    // done with (or a fresh one); waits while `capacity` batches are queued.
    // False, handing nothing over, once the consumer has stopped.
    bool put(Batch& b) {
        std::function<void()> wake;
        {
            std::unique_lock lock(mutex_);
            if (count_ == ring_.size() && !stopped_) {
                producer_waiting_ = true;
                room_.wait(lock, [&] { return count_ < ring_.size() || stopped_; });
                producer_waiting_ = false;
            }
            if (stopped_) return false;
            using std::swap;
            swap(b, ring_[(head_ + count_) % ring_.size()]);
            ++count_;
            wake = ready_locked();
        }
        if (wake) wake();
        return true;
    }

    // Producer: the end of the batches, or `failure` once they are taken.
    void close(std::exception_ptr failure = nullptr) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex_);
            if (closed_ || stopped_) return;
            closed_ = true;
            failure_ = std::move(failure);
            wake = ready_locked();
        }
        if (wake) wake();
    }

    // Consumer. ready: current() holds the next batch (the previous one goes
    // back to the producer); ended: no batch will come; pending: none yet,
    // and the wake callback will be called once one is there or the end is.
    // Rethrows the producer's failure where the batches end.
    take_status try_take() {
        std::unique_lock lock(mutex_);
        if (count_ > 0) {
            take_locked();
            const bool producer_waits = producer_waiting_;
            lock.unlock();
            if (producer_waits) room_.notify_one();
            return take_status::ready;
        }
        if (closed_) {
            if (failure_) std::rethrow_exception(failure_);
            return take_status::ended;
        }
        consumer_waiting_ = true;
        return take_status::pending;
    }

    // Consumer: as try_take(), waiting while none is there; nullptr at the end.
    Batch* take() {
        for (;;) {
            switch (try_take()) {
            case take_status::ready: return &current_;
            case take_status::ended: return nullptr;
            case take_status::pending: break;
            }
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return count_ > 0 || closed_; });
        }
    }

    Batch& current() { return current_; }

    // Consumer: called (on the producer's thread, under the lock: keep it
    // short, e.g. a post to an event loop) when try_take() said pending and
    // something arrived. Set before the first try_take().
    void on_ready(std::function<void()> wake) {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }

    // Consumer: takes no more. A producer waiting for room returns false, so
    // do all later puts; the wake callback is never called again.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
            wake_ = nullptr;
            consumer_waiting_ = false;
        }
        room_.notify_one();
    }

private:
    // The callback to call once the lock is released, when the consumer waits for it.
    std::function<void()> ready_locked() {
        std::function<void()> wake;
        if (consumer_waiting_) {
            consumer_waiting_ = false;
            wake = wake_;
            ready_.notify_one();
        }
        return wake;
    }

    void take_locked() {
        using std::swap;
        swap(current_, ring_[head_]);
        head_ = (head_ + 1) % ring_.size();
        --count_;
    }

    std::mutex mutex_;
    std::condition_variable room_;   // the producer waits for room
    std::condition_variable ready_;  // take() waits for a batch
    std::vector<Batch> ring_;
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    Batch current_{};
    std::function<void()> wake_;
    std::exception_ptr failure_;
    bool closed_ = false;
    bool stopped_ = false;
    bool producer_waiting_ = false;
    bool consumer_waiting_ = false;
};

}  // namespace prospect::app
