#pragma once
// The threads that serve HTTP connections. cpp-httplib gives every connection one thread for
// its whole life (keep-alive waits and streams included), and its default pool has a fixed 8:
// nine slow calls would starve a ping. This queue starts threads on demand up to a bound (the
// WorkerPool), so an idle server stays small and a busy one serves every connection at once.
#include <httplib.h>

#include <atomic>
#include <functional>

#include "server/log.h"
#include "server/worker_pool.h"

namespace rdmcp::server {

class ConnectionQueue : public httplib::TaskQueue {
  public:
    // `open_connections` counts the connections being served (cpp-httplib owns this queue and
    // deletes it when it stops, so the count lives with whoever reads it).
    // `warmed` is set once the transport's warm-up exchange is over (see HttpTransport::warm_up);
    // reading it here orders every later connection after it.
    ConnectionQueue(std::size_t max_threads, std::atomic<long>& open_connections,
                    const std::atomic<bool>& warmed, Logger& logger)
        : pool_(max_threads),
          open_connections_(open_connections),
          warmed_(warmed),
          logger_(logger) {}

    void enqueue(std::function<void()> fn) override {
        (void)warmed_.load(std::memory_order_acquire);
        try {
            pool_.submit([fn = std::move(fn), &open = open_connections_, &logger = logger_] {
                open.fetch_add(1);
                try {
                    fn();
                } catch (const std::exception& e) {  // cpp-httplib catches handler exceptions;
                    logger.error("connection_failed", {{"reason", e.what()}});  // this is the rest
                } catch (...) {
                    logger.error("connection_failed", {{"reason", "unknown exception"}});
                }
                open.fetch_sub(1);
            });
        } catch (const std::exception& e) {
            // The job is queued before a thread is started: it waits for a free thread.
            logger_.warn("connection_thread_not_started", {{"reason", e.what()}});
        }
    }

    // Called once the server stops accepting: waits for every connection to finish.
    void shutdown() override { pool_.shutdown(); }

  private:
    WorkerPool pool_;
    std::atomic<long>& open_connections_;
    const std::atomic<bool>& warmed_;
    Logger& logger_;
};

}  // namespace rdmcp::server
