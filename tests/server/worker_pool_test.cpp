#include "server/worker_pool.h"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <future>

using namespace rdmcp::server;

TEST_CASE("jobs submitted together run at the same time, up to the bound") {
    std::mutex mutex;
    std::condition_variable all_started;
    int started = 0;
    std::promise<void> release;
    auto released = release.get_future().share();
    // Declared last, so it goes first: its threads are joined before the jobs' condition
    // variable is destroyed (ThreadSanitizer caught a job still notifying it).
    WorkerPool pool(4);
    for (int i = 0; i < 4; ++i) {
        pool.submit([&, released] {
            {
                std::lock_guard lock(mutex);
                ++started;
            }
            all_started.notify_all();
            released.wait();
        });
    }
    std::unique_lock lock(mutex);
    // Four blocked jobs can only all start if four threads run them at once.
    CHECK(all_started.wait_for(lock, std::chrono::seconds(10), [&] { return started == 4; }));
    lock.unlock();
    release.set_value();
}

TEST_CASE("shutdown finishes queued work and refuses new work") {
    std::atomic<int> done{0};
    WorkerPool pool(1);
    for (int i = 0; i < 20; ++i) pool.submit([&] { ++done; });
    pool.shutdown();
    CHECK(done == 20);
    CHECK_FALSE(pool.submit([] {}));
}
