#include "tools/spend_ledger.h"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using namespace rdmcp::tools;
using namespace std::chrono_literals;

namespace {
// A clock the test moves by hand.
struct ManualClock {
    std::chrono::system_clock::time_point now{std::chrono::hours(24 * 365 * 50)};
    SpendLedger::Clock function() {
        return [this] { return now; };
    }
};
}  // namespace

TEST_CASE("a budget is reserved before paying and settled with what was charged") {
    ManualClock clock;
    auto ledger = SpendLedger::create(24h, clock.function());
    auto first = ledger->reserve("key-a", 0.18, 0.40);
    REQUIRE(first);
    auto second = ledger->reserve("key-a", 0.18, 0.40);
    REQUIRE(second);
    CHECK_FALSE(ledger->reserve("key-a", 0.18, 0.40));  // 0.54 > 0.40 while both are held
    CHECK(ledger->standing("key-a").reserved == doctest::Approx(0.36));

    first->settle(0.18, "job-1");
    second->settle(0);  // refused before paying: the budget gets it back
    const auto standing = ledger->standing("key-a");
    CHECK(standing.spent == doctest::Approx(0.18));
    CHECK(standing.reserved == doctest::Approx(0));
    CHECK(ledger->reserve("key-a", 0.22, 0.40));  // exactly what is left passes
}

TEST_CASE("each key has its own budget") {
    auto ledger = SpendLedger::create(24h);
    auto spent = ledger->reserve("key-a", 0.40, 0.40);
    REQUIRE(spent);
    spent->settle(0.40);
    CHECK_FALSE(ledger->reserve("key-a", 0.01, 0.40));
    CHECK(ledger->reserve("key-b", 0.40, 0.40));
}

TEST_CASE("a reservation that is never settled counts in full: the call may have paid") {
    auto ledger = SpendLedger::create(24h);
    { auto forgotten = ledger->reserve("key-a", 0.25, 1.0); }
    CHECK(ledger->standing("key-a").spent == doctest::Approx(0.25));
}

TEST_CASE("charges stop counting once they are older than the window") {
    ManualClock clock;
    auto ledger = SpendLedger::create(1h, clock.function());
    ledger->reserve("key-a", 0.30, 0.40)->settle(0.30);
    clock.now += 30min;
    ledger->reserve("key-a", 0.10, 0.40)->settle(0.10);
    CHECK_FALSE(ledger->reserve("key-a", 0.05, 0.40));
    const auto standing = ledger->standing("key-a");
    REQUIRE(standing.next_release);
    CHECK(*standing.next_release == clock.now + 30min);

    clock.now += 31min;  // the first charge aged out
    CHECK(ledger->standing("key-a").spent == doctest::Approx(0.10));
    CHECK(ledger->reserve("key-a", 0.30, 0.40));
}

TEST_CASE("a refund gives a charge back once") {
    auto ledger = SpendLedger::create(24h);
    ledger->reserve("key-a", 0.18, 1.0)->settle(0.18, "job-1");
    ledger->reserve("key-a", 0.18, 1.0)->settle(0.18, "job-2");
    ledger->refund("key-a", "job-1");
    ledger->refund("key-a", "job-1");  // seen failed again: nothing more
    ledger->refund("key-b", "job-2");  // another key cannot refund it
    CHECK(ledger->standing("key-a").spent == doctest::Approx(0.18));
}

TEST_CASE("calls racing for the last part of a budget cannot all pass") {
    auto ledger = SpendLedger::create(24h);
    std::atomic<int> passed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i) {
        threads.emplace_back([&] {
            if (auto reservation = ledger->reserve("key-a", 0.18, 0.40)) {
                ++passed;
                reservation->settle(0.18);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(passed.load() == 2);
    CHECK(ledger->standing("key-a").spent == doctest::Approx(0.36));
}
