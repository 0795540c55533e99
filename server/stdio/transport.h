#pragma once
// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. stdout carries protocol messages
// only. Requests that may wait on the network run on the worker pool, so a slow generation
// never holds up ping or tools/list; everything else is answered in order on the reading thread.
#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>

#include "protocol/client_requests.h"
#include "protocol/dispatcher.h"
#include "protocol/in_flight.h"
#include "protocol/key_holder.h"
#include "protocol/mcp_server.h"
#include "protocol/session.h"
#include "server/log.h"
#include "server/worker_pool.h"

namespace rdmcp::server {

struct StdioOptions {
    std::string api_key;  // RD_API_KEY: every request over this stdio belongs to one caller
    std::size_t max_message_bytes = 64u << 20;
    std::size_t max_concurrency = 64;
    int input_fd = 0;
    int output_fd = 1;
};

class StdioTransport {
  public:
    StdioTransport(const protocol::McpServer& server, StdioOptions options, Logger& logger);

    // Serves until stdin ends (then waits for in-flight requests, whose answers the client may
    // still read) or until stop() (then cancels them). Returns the process exit code.
    int run();

    // Safe from any thread (a signal-handling thread): cancels in-flight work and ends run().
    void stop();

    // One stdout line (a message), whole, whichever thread writes it; false when stdout is gone.
    bool write_line(const std::string& line);
    Logger& logger() { return logger_; }

  private:
    void handle_frame(std::string_view frame);
    void handle_request(protocol::Request request, bool large);
    void reject_oversized_message();

    const protocol::McpServer& server_;
    const StdioOptions options_;
    Logger& logger_;
    // The one client of this stream: its handshake, and the ids of its requests in flight.
    std::shared_ptr<protocol::LegacySession> session_ = std::make_shared<protocol::LegacySession>();
    std::shared_ptr<protocol::InFlightRequests> in_flight_ =
        std::make_shared<protocol::InFlightRequests>();
    // Our requests to it (elicitation/create) awaiting its response on stdin; closed when stdin
    // ends or the server stops.
    std::shared_ptr<protocol::ClientRequests> client_requests_ =
        std::make_shared<protocol::ClientRequests>();
    // The key authenticate sets for this process, lent to requests when no RD_API_KEY was given.
    std::shared_ptr<protocol::KeyHolder> key_holder_ =
        std::make_shared<protocol::KeyHolder>(protocol::KeyHolder::Scope::Process);
    // Declared before the pool it runs on: the pool is joined (its jobs finished) first.
    protocol::Dispatcher dispatcher_;
    WorkerPool pool_;
    std::mutex output_mutex_;
    std::atomic<bool> stopping_{false};
    std::atomic<unsigned long long> request_counter_{0};
    int wake_pipe_[2] = {-1, -1};
};

}  // namespace rdmcp::server
