#include "server/worker_pool.h"

namespace rdmcp::server {

WorkerPool::WorkerPool(std::size_t max_threads) : max_threads_(max_threads ? max_threads : 1) {}

WorkerPool::~WorkerPool() { shutdown(); }

bool WorkerPool::submit(std::function<void()> job) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(std::move(job));
    // Idle threads that have not yet woken still count as idle: compare with the queue so two
    // quick submissions never end up waiting on one thread.
    if (queue_.size() > idle_ && threads_.size() < max_threads_) {
        threads_.emplace_back([this] { run(); });
    } else {
        wake_.notify_one();
    }
    return true;
}

void WorkerPool::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_;
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) return;  // stopping, and nothing left to do
        auto job = std::move(queue_.front());
        queue_.pop_front();
        ++busy_;
        lock.unlock();
        job();
        lock.lock();
        --busy_;
    }
}

void WorkerPool::shutdown() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
    }
    wake_.notify_all();
    for (auto& thread : threads) thread.join();
}

std::size_t WorkerPool::busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
}

}  // namespace rdmcp::server
