#pragma once
// The whole life of one request, for every transport: prepare, inline or on a worker, in-flight
// registration with the duplicate-id rule, notifications wired behind cancellation, the
// exception guard, one cancellation and shutdown policy, encoding, and the answer handed to the
// transport's Outbox. A transport only frames messages, admits them and moves bytes.
//
// The policy, in one place:
//  - requests that may wait on the network (McpServer::may_block) run on the Executor; the
//    rest are answered on the caller's thread, in order;
//  - a request id still in flight in the same scope (the stdio stream, a legacy HTTP session)
//    is refused: the client must use a new id;
//  - a request the client cancelled (notifications/cancelled, a closed stream) is owed no
//    answer; one cancelled by shutdown is still answered, since the client still waits;
//  - a handler that throws answers -32603; a job the Executor refuses answers "shutting down";
//  - a request of a 2025-era client running on a worker may ask that client (elicitation/create)
//    through context.ask_client, where a response can come back (Incoming::client_requests)
//    and the outbox can carry a request; the wait ends with the request's cancellation.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "protocol/client_requests.h"
#include "protocol/in_flight.h"
#include "protocol/mcp_server.h"

namespace rdmcp::protocol {

// The reason in-flight requests are cancelled with on shutdown: their answers are still sent.
inline constexpr const char* kShutdownReason = "the server is shutting down";

// Where work that may wait on the network runs (a bounded worker pool; inline in tests).
class Executor {
  public:
    virtual ~Executor() = default;
    // False when the job was not accepted (shutting down): it will never run.
    virtual bool submit(std::function<void()> job) = 0;
};

// Why a request was refused before it ran.
enum class Refusal { DuplicateId, ShuttingDown };

// What the dispatcher hands a request's transport: one Outbox per request.
class Outbox {
  public:
    virtual ~Outbox() = default;
    // An encoded notification for this request (progress), sent only while it is live.
    virtual void notify(std::string message) = 0;
    // The request ran. `answer_due` is false when the client cancelled it: a stream may end
    // without an answer, a body that must hold a JSON-RPC message sends `message` anyway.
    virtual void finish(const Outcome& outcome, std::string message, bool answer_due) = 0;
    // The request did not run; `message` is the encoded error to answer with.
    virtual void refuse(Refusal why, std::string message) = 0;
    // An encoded request (or a notification cancelling one) from the server to the client,
    // while this request runs; false when it cannot be carried (no stream to the client).
    virtual bool send_request(std::string /*message*/) { return false; }
};

// One request as a transport decoded it.
struct Incoming {
    Request request;
    std::shared_ptr<RequestContext> context;  // the caller's key and log id, set by the transport
    // The handshake state of a 2025 client (the stdio stream's, an HTTP session's); null for
    // requests that have none (2026-07-28 over HTTP).
    std::shared_ptr<LegacySession> session;
    // Where request ids must be unique and notifications/cancelled finds them; null when each
    // request stands alone (2026-07-28 over HTTP, where a closed stream cancels).
    std::shared_ptr<InFlightRequests> id_scope;
    // Where the client's responses to our requests arrive (the stdio stream, a legacy HTTP
    // session); null where none can come back.
    std::shared_ptr<ClientRequests> client_requests;
    bool large = false;  // megabytes of images: the memory goes back once it is answered
};

class Dispatcher {
  public:
    // `release_memory` runs after a large request is answered (the allocator's trim).
    Dispatcher(const McpServer& server, Executor& executor,
               std::function<void()> release_memory = {});

    // Reads the protocol version, capabilities and progress token into the context. An error
    // is the request's answer (the transport frames it: HTTP gives it a status).
    std::optional<RpcError> prepare(Incoming& incoming) const;

    // Whether the request will run on the Executor (the transport may stream its answer).
    static bool runs_on_worker(const Request& request) { return McpServer::may_block(request); }

    // Runs a prepared request to its end: at once, or queued on the Executor. The outbox gets
    // exactly one finish() or refuse(), on this thread or a worker's.
    void run(Incoming incoming, std::shared_ptr<Outbox> outbox);

    void notification(const Notification& notification, InFlightRequests& scope) const {
        server_.handle_notification(notification, scope);
    }

    // Shutdown: cancels what is in flight (answers still go out), and waits until nothing is.
    void cancel_all(const std::string& reason = kShutdownReason);
    bool wait_idle(std::chrono::milliseconds timeout);
    long in_flight() const { return running_.load(); }

    const McpServer& server() const { return server_; }

  private:
    struct Running;
    void complete(Running& running);
    Outcome handle(Incoming& incoming) const;
    void begin();
    void end();

    const McpServer& server_;
    Executor& executor_;
    std::function<void()> release_memory_;
    InFlightRequests everything_;  // by serial number, for shutdown
    std::atomic<unsigned long long> serial_{0};
    std::atomic<long> running_{0};
    std::mutex idle_mutex_;
    std::condition_variable idle_;
};

}  // namespace rdmcp::protocol
