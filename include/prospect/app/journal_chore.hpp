// The journal's group commit while a run's rows go on: a commit every
// interval, until the run's end wakes the sleeper.
#pragma once

#include "prospect/app/sleeper.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace prospect::app {

// Calls `commit` every `interval` until `chores` is woken. A commit that
// throws is the journal's write failing, whichever of this chore and a
// worker's write meets it first: `failed` gets its message (the run stops
// with 74, not as an internal error) and the chore ends.
boost::asio::awaitable<void> commit_periodically(sleeper& chores, std::chrono::steady_clock::duration interval,
                                                 std::function<void()> commit,
                                                 std::function<void(std::string)> failed);

}  // namespace prospect::app
