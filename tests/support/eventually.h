#pragma once
// Waiting for what a server does just after it answers: its counters move once the answer is
// written, so a client can read the answer before they do.
#include <chrono>
#include <thread>

namespace rdmcp::testing {

// Polls `condition` every 20 ms until it holds or `timeout` passes; the last look decides.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
}

}  // namespace rdmcp::testing
