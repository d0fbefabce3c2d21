// The reader thread's hand-off (batch_handoff) and the feed on real inputs:
// order, the bound on what is read ahead, a failure delivered after the rows
// read before it, and a stop that neither a producer waiting for room nor a
// reader blocked on a pipe can hold up. Waits are for states, with a guard
// against a hang; nothing is timed.
#include "prospect/app/batch_handoff.hpp"
#include "prospect/app/row_feed.hpp"
#include "prospect/csv/record_reader.hpp"
#include "support/files.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace prospect::app;
using namespace std::chrono_literals;

namespace {

const std::string campaign = "8d256aa6-9b12-49a7-93ee-bf41634b5b60";
const std::string list = "cf33282b-b171-4d23-ae02-848499d793e4";

using int_batch = std::vector<int>;

// Spins (yielding) until `ready` holds; fails the test after a minute: a hang, not a measure.
void wait_for_state(const std::function<bool()>& ready, const char* what) {
    const auto give_up = std::chrono::steady_clock::now() + 60s;
    while (!ready()) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < give_up, what);
        std::this_thread::yield();
    }
}

std::string header() { return "profileUrl,campaignId,prospectListId\n"; }
std::string row(int i) { return fmt::format("https://www.linkedin.com/in/lead-{},{},{}\n", i, campaign, list); }

std::string url_row(int i) { return fmt::format("https://www.linkedin.com/in/lead-{}\n", i); }

// Campaign and list by option, for files with only a url column.
config config_for(const std::string& path) {
    config cfg;
    cfg.input_path = path;
    cfg.reader.display_name = path;
    cfg.defaults.campaign = prospect::lead::parse_uuid(campaign);
    cfg.defaults.list = prospect::lead::parse_uuid(list);
    return cfg;
}

}  // namespace

TEST_CASE("handoff: batches arrive in order, and the producer gets back only batches the consumer is done with") {
    constexpr int n = 5000;
    batch_handoff<int_batch> handoff(3);
    std::thread producer([&] {
        int_batch b;
        for (int i = 0; i < n; ++i) {
            // What comes back is empty or an earlier batch, never one still queued.
            CHECK((b.empty() || (b.size() == 1 && b[0] < i - 3)));
            b.assign(1, i);
            CHECK(handoff.put(b));
        }
        handoff.close();
    });
    int expected = 0;
    while (auto* b = handoff.take()) {
        REQUIRE(b->size() == 1);
        CHECK((*b)[0] == expected);
        ++expected;
    }
    producer.join();
    CHECK(expected == n);
}

TEST_CASE("handoff: the producer is never more than `capacity` batches ahead of the consumer") {
    constexpr std::size_t capacity = 4;
    constexpr std::size_t n = 200;
    batch_handoff<int_batch> handoff(capacity);
    std::atomic<std::size_t> put{0};
    std::thread producer([&] {
        int_batch b;
        for (std::size_t i = 0; i < n; ++i) {
            b.assign(1, static_cast<int>(i));
            if (!handoff.put(b)) return;
            put.fetch_add(1);
        }
        handoff.close();
    });
    for (std::size_t taken = 0; taken < n; ++taken) {
        // Let the producer fill the ring before each take: a missing bound would show here.
        wait_for_state([&] { return put.load() >= std::min(n, taken + capacity); }, "the ring full");
        CHECK(put.load() <= taken + capacity);
        auto* b = handoff.take();
        REQUIRE(b != nullptr);
        CHECK((*b)[0] == static_cast<int>(taken));
    }
    CHECK(handoff.take() == nullptr);
    producer.join();
}

TEST_CASE("handoff: a failure arrives after every batch handed over before it, whenever the consumer looks") {
    batch_handoff<int_batch> handoff(8);
    std::thread producer([&] {
        for (int i = 0; i < 3; ++i) {
            int_batch b{i};
            CHECK(handoff.put(b));
        }
        handoff.close(std::make_exception_ptr(std::runtime_error("row 5: boom")));
    });
    SUBCASE("the consumer waits") {}
    SUBCASE("the consumer looks once the producer is done") { producer.join(); }
    for (int i = 0; i < 3; ++i) {
        auto* b = handoff.take();
        REQUIRE(b != nullptr);
        CHECK((*b)[0] == i);
    }
    CHECK_THROWS_WITH_AS(handoff.take(), "row 5: boom", std::runtime_error);
    CHECK_THROWS_AS(handoff.try_take(), std::runtime_error);
    if (producer.joinable()) producer.join();
}

TEST_CASE("handoff: try_take says pending, and the wake comes once a batch or the end is there, from the producer") {
    batch_handoff<int_batch> handoff(2);
    std::mutex m;
    std::condition_variable cv;
    int wakes = 0;
    handoff.on_ready([&] {
        std::lock_guard lock(m);
        ++wakes;
        cv.notify_all();
    });
    auto wait_wakes = [&](int n) {
        std::unique_lock lock(m);
        REQUIRE(cv.wait_for(lock, 60s, [&] { return wakes >= n; }));  // a guard against a hang
    };
    CHECK(handoff.try_take() == take_status::pending);
    std::thread producer([&] {
        int_batch b{7};
        CHECK(handoff.put(b));
    });
    wait_wakes(1);
    producer.join();
    REQUIRE(handoff.try_take() == take_status::ready);
    CHECK(handoff.current() == int_batch{7});
    // Not asked (no pending since): the end wakes nobody, and is seen when looked for.
    handoff.close();
    CHECK(handoff.try_take() == take_status::ended);
    std::lock_guard lock(m);
    CHECK(wakes == 1);
}

TEST_CASE("handoff: a stop releases a producer waiting for room and silences the wake") {
    batch_handoff<int_batch> handoff(1);
    std::atomic<int> put{0};
    std::atomic<bool> refused{false};
    int wakes = 0;
    handoff.on_ready([&] { ++wakes; });
    CHECK(handoff.try_take() == take_status::pending);
    std::thread producer([&] {
        for (int i = 0; i < 3; ++i) {
            int_batch b{i};
            if (!handoff.put(b)) {
                refused = true;
                return;
            }
            ++put;
        }
    });
    wait_for_state([&] { return put.load() == 1; }, "the ring full, the producer waiting for room");
    handoff.stop();
    producer.join();  // hangs here if the stop does not reach the waiting producer
    CHECK(refused.load());
    CHECK(put.load() == 1);
    handoff.close();
    CHECK(wakes == 1);  // the first put's, before the stop
}

TEST_CASE("feed: rows in input order in small batches, the bytes consumed and the encoding warning carried with them") {
    prospect::test::temp_dir dir;
    std::string text = header();
    constexpr int n = 3000;
    for (int i = 2; i < n + 2; ++i) text += i == 1500 ? "https://www.linkedin.com/in/caf\xe9,,\n" : row(i);
    const std::string path = dir / "in.csv";
    prospect::test::write_file(path, text);
    bool own_thread = true;
    SUBCASE("on a thread of its own") {}
    SUBCASE("read on the consumer's thread") { own_thread = false; }
    CAPTURE(own_thread);
    row_feed feed(std::make_unique<row_source>(config_for(path)),
                  {.batch_rows = 16, .queued_batches = 2, .own_thread = own_thread});
    CHECK(feed.input_size() == text.size());
    std::size_t expected = 2, batches = 0;
    std::uint64_t bytes = 0;
    while (auto* b = feed.take()) {
        ++batches;
        CHECK(b->size <= 16);
        for (const auto& r : b->rows()) CHECK(r.row == expected++);
        CHECK(b->bytes_consumed >= bytes);
        bytes = b->bytes_consumed;
        CHECK(feed.bytes_consumed() == bytes);
    }
    CHECK(expected == n + 2);
    CHECK(batches >= n / 16);
    CHECK(bytes == text.size());
    CHECK(feed.encoding_warning().find("first in row 1500") != std::string::npos);
}

TEST_CASE("feed: a file that changed while read throws input_changed after the rows read before it") {
    prospect::test::temp_dir dir;
    std::string text = header();
    for (int i = 2; i < 2002; ++i) text += row(i);
    const std::string path = dir / "in.csv";
    prospect::test::write_file(path, text);
    bool own_thread = true;
    SUBCASE("on a thread of its own") {}
    SUBCASE("read on the consumer's thread") { own_thread = false; }
    CAPTURE(own_thread);
    auto source = std::make_unique<row_source>(config_for(path));
    prospect::test::write_file(path, text + row(2002));  // rewritten once opened: seen at the end at the latest
    row_feed feed(std::move(source), {.batch_rows = 8, .queued_batches = 2, .own_thread = own_thread});
    std::vector<std::size_t> rows;
    auto read = [&] {
        while (auto* b = feed.take())
            for (const auto& r : b->rows()) rows.push_back(r.row);
    };
    CHECK_THROWS_AS(read(), prospect::csv::input_changed);
    for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i] == i + 2);
    CHECK(rows.size() <= 2000);
}

TEST_CASE("feed: rows written to a pipe that stays open arrive at once, and the feed ends while its reader blocks") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    auto write_all = [&](const std::string& s) {
        REQUIRE(::write(fds[1], s.data(), s.size()) == static_cast<ssize_t>(s.size()));
    };
    // A url column only: no look-ahead, so the header alone lets the source start.
    write_all("profileUrl\n" + url_row(2) + url_row(3) + url_row(4));
    {
        row_feed feed(std::make_unique<row_source>(config_for(fmt::format("/dev/fd/{}", fds[0]))));
        CHECK(feed.input_is_stream());
        std::vector<std::size_t> rows;
        auto take_three = [&] {
            rows.clear();
            while (rows.size() < 3) {
                auto* b = feed.take();  // hangs if the rows read wait for a batch to fill
                REQUIRE(b != nullptr);
                for (const auto& r : b->rows()) rows.push_back(r.row);
            }
        };
        take_three();
        CHECK(rows == std::vector<std::size_t>{2, 3, 4});
        write_all(url_row(5) + url_row(6) + url_row(7));
        take_three();
        CHECK(rows == std::vector<std::size_t>{5, 6, 7});
        CHECK(feed.try_take() == take_status::pending);
    }
    // The feed is gone while its reader waits in read(2) for more; that
    // reader ends on its own once the pipe does.
    ::close(fds[1]);
    ::close(fds[0]);
}

TEST_CASE("feed: duplicates are settled across batches, each naming the first row of its key") {
    prospect::test::temp_dir dir;
    std::string text = header();
    constexpr int n = 3000;
    // row i repeats row i - 37 when i is a multiple of 5 from 40 on: most
    // repeats are in another batch than their first row
    auto repeats = [](std::size_t i) { return i % 5 == 0 && i >= 40; };
    for (int i = 2; i < n + 2; ++i) text += row(repeats(i) ? i - 37 : i);
    const std::string path = dir / "in.csv";
    prospect::test::write_file(path, text);
    row_feed feed(std::make_unique<row_source>(config_for(path)), {.batch_rows = 16, .own_thread = false});
    std::size_t duplicates = 0, wrong = 0;
    while (auto* b = feed.take())
        for (const auto& r : b->rows()) {
            if (r.settled == prospect::policy::outcome::duplicate) {
                ++duplicates;
                if (!repeats(r.row) || r.message != fmt::format("duplicate of row {}", r.row - 37)) ++wrong;
            } else if (repeats(r.row)) {
                ++wrong;
            }
        }
    CHECK(duplicates == n / 5 - 7);
    CHECK(wrong == 0);
}

TEST_CASE("source: asked to, it sizes a regular file's de-duplication table for its rows after the first thousand") {
    prospect::test::temp_dir dir;
    std::string text = header();
    constexpr std::size_t n = 20'000;
    for (std::size_t i = 2; i < n + 2; ++i) text += row(static_cast<int>(i));
    const std::string path = dir / "in.csv";
    prospect::test::write_file(path, text);
    row_source source(config_for(path));
    bool sized = true;
    SUBCASE("asked (the dry run)") { source.size_table_for_file(); }
    SUBCASE("not asked (a live import): the table grows with the rows read") { sized = false; }
    CAPTURE(sized);
    std::vector<source_row> batch(128);
    std::size_t read = 0, reserved = 0;
    for (bool more = true; more;) {
        std::size_t size = 0;
        while (size < batch.size() && (more = source.next(batch[size]))) ++size;
        source.settle_duplicates({batch.data(), size});
        read += size;
        if (read >= 1024 && reserved == 0) reserved = source.deduper().table_bytes();
    }
    CHECK(read == n);
    CHECK(source.deduper().size() == n);
    if (sized) {
        CHECK(reserved >= n * 12);
        CHECK(source.deduper().table_bytes() == reserved);  // no segment grew
        CHECK(static_cast<double>(reserved) / n < 18.0);   // 14.2 a key at a million, more slack a key here
    } else {
        CHECK(reserved < n * 12 / 4);
        CHECK(source.deduper().table_bytes() >= n * 12);
    }
}
