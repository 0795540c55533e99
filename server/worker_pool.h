#pragma once
// A bounded pool of threads for work that waits on the network. Threads start only when work
// arrives (an idle server stays small) and never exceed the bound; further work queues.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "protocol/dispatcher.h"

namespace rdmcp::server {

class WorkerPool final : public protocol::Executor {
  public:
    explicit WorkerPool(std::size_t max_threads);
    ~WorkerPool() override;  // finishes queued work, then joins
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False once shutdown has begun.
    bool submit(std::function<void()> job) override;

    // Waits for all queued and running work to finish, then stops the threads.
    void shutdown();

    std::size_t busy() const;

  private:
    void run();

    const std::size_t max_threads_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    std::size_t busy_ = 0;
    bool stopping_ = false;
};

}  // namespace rdmcp::server
