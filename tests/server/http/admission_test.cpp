#include "server/http/admission.h"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using namespace rdmcp::server;

TEST_CASE("permits up to the limit, refused beyond it, returned when released") {
    Admission admission(2);
    auto first = admission.try_acquire();
    auto second = admission.try_acquire();
    CHECK(first);
    CHECK(second);
    CHECK_FALSE(admission.try_acquire());
    CHECK(admission.in_use() == 2);
    first.reset();
    CHECK(admission.in_use() == 1);
    auto third = admission.try_acquire();
    CHECK(third);
    auto copy = third;  // shared: released with the last copy
    third.reset();
    CHECK(admission.in_use() == 2);
}

TEST_CASE("concurrent acquisitions never exceed the limit") {
    Admission admission(10);
    std::atomic<int> granted{0};
    std::vector<std::shared_ptr<Admission::Permit>> held(64);
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back([&, i] {
            held[i] = admission.try_acquire();
            if (held[i]) ++granted;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(granted == 10);
    CHECK(admission.in_use() == 10);
    held.clear();
    CHECK(admission.in_use() == 0);
}
