#pragma once
// Runs MCP requests that the endpoint has accepted and prepared, through the Dispatcher
// (protocol/dispatcher.h, which owns each request's life), and owns what HTTP adds around it:
//  - requests that answer at once (tools/list, discovery, initialize) run on the connection's
//    thread and never wait for anything;
//  - requests that may wait on the upstream (tools/call, tasks/get) take a slot
//    (--max-concurrency; none left: 503 + Retry-After) and run on a worker, while the
//    connection's thread streams the answer (SSE when the client accepts it, else one JSON
//    body) and cancels the request if the client goes away;
//  - long-lived streams (subscriptions/listen, a legacy session's GET stream) take a stream
//    permit and end on shutdown.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "protocol/dispatcher.h"
#include "protocol/mcp_server.h"
#include "server/http/admission.h"
#include "server/http/headers.h"
#include "server/http/options.h"
#include "server/http/replies.h"
#include "server/http/request_log.h"
#include "server/http/sessions.h"
#include "server/http/sse.h"
#include "server/worker_pool.h"

namespace rdmcp::server {

using protocol::kShutdownReason;

// One prepared request and everything it needs to be answered.
struct Exchange {
    protocol::Request request;
    std::shared_ptr<protocol::RequestContext> context;
    // The handshake state the engine reads (and `initialize` writes); null for 2026-07-28.
    std::shared_ptr<protocol::LegacySession> legacy;
    // A legacy session's lease: keeps it from expiring while the request runs.
    std::shared_ptr<SessionStore::Lease> session;
    Accepts accepts;
    Era era = Era::Modern;
    ExchangeRecord record;
    bool large_message = false;  // its memory is released once it is answered
};

class ExchangeRunner {
  public:
    ExchangeRunner(const protocol::McpServer& server, const HttpOptions& options, RequestLog& log,
                   const std::atomic<bool>& draining);
    ~ExchangeRunner();

    // Answers a request: at once, or streamed from a worker (see above).
    void run(Exchange exchange, httplib::Response& response);
    // subscriptions/listen: acknowledged, then kept open with keep-alive comments until the
    // client leaves or the server shuts down (then it gets the graceful completion result).
    void listen(Exchange exchange, httplib::Response& response);
    // A legacy session's standalone GET stream: we send no server-initiated messages, so it
    // carries keep-alive comments until the client leaves, the session ends or we shut down.
    void session_stream(std::shared_ptr<SessionStore::Lease> session, ExchangeRecord record,
                        httplib::Response& response);

    // initialize: answered at once through the dispatcher, the outcome handed back.
    protocol::Outcome answer_here(Exchange exchange);

    // Shutdown: waits until no request is being answered (true) or the timeout passed.
    bool wait_idle(std::chrono::milliseconds timeout) { return dispatcher_.wait_idle(timeout); }
    void cancel_all(const std::string& reason) { dispatcher_.cancel_all(reason); }
    void stop_workers();  // after the last connection is gone

    long requests_in_flight() const { return dispatcher_.in_flight(); }
    std::size_t slots_in_use() const { return slots_.in_use(); }
    std::size_t slots() const { return slots_.limit(); }
    std::size_t open_streams() const { return streams_.in_use(); }

  private:
    void answer_inline(Exchange exchange, httplib::Response& response);
    void answer_streamed(Exchange exchange, httplib::Response& response);
    static protocol::Incoming incoming(Exchange& exchange);

    const protocol::McpServer& server_;
    const HttpOptions& options_;
    RequestLog& log_;
    const std::atomic<bool>& draining_;
    Admission slots_;
    Admission streams_;
    // Declared before the pool it runs on: the pool is joined (its jobs finished) first.
    protocol::Dispatcher dispatcher_;
    WorkerPool workers_;
};

}  // namespace rdmcp::server
