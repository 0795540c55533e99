#pragma once
// Requests this server sends to its client in the middle of one of the client's requests
// (elicitation/create), for the clients of MCP 2025-11-25 and earlier, which answer them with a
// JSON-RPC response on the same stream (stdio) or session (HTTP). 2026-07-28 clients never get
// one: there the server answers `input_required` instead (MRTR, see protocol/tool.h).
//
// One ClientRequests per place a response can come back to (the stdio stream, a legacy HTTP
// session). Ids are our own ("rdmcp-<n>") so they never collide with the client's.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "protocol/cancellation.h"
#include "protocol/json_rpc.h"

namespace rdmcp::protocol {

// What came of one request to the client.
struct ClientAnswer {
    enum class Kind {
        Result,      // the client answered with `result`
        Error,       // the client answered with a JSON-RPC error (`error`)
        TimedOut,    // no answer within the time allowed
        Cancelled,   // the request it belongs to was cancelled, or the stream/session ended
        Unavailable  // it could not be sent (the client takes no requests on this stream)
    };
    Kind kind = Kind::Unavailable;
    Json result;                    // Kind::Result
    std::optional<RpcError> error;  // Kind::Error
};

// Sends one encoded JSON-RPC request to the client; false when it cannot be carried.
using SendToClient = std::function<bool(std::string message)>;

// Asks the client `method` with `params` and waits for its answer (see ClientAnswer).
using AskClient = std::function<ClientAnswer(const std::string& method, const Json& params,
                                             std::chrono::milliseconds timeout)>;

// The requests this server sent in one scope and the client has not answered yet. ask() runs
// on a request's worker and waits; deliver() and close() run on a transport's reading thread
// and never block on a waiter.
class ClientRequests {
  public:
    // Requests waiting at once in one scope; more are Unavailable at once.
    static constexpr std::size_t kDefaultMaxWaiting = 64;
    // The longest any ask waits, whatever timeout it was given.
    static constexpr std::chrono::milliseconds kMaxTimeout = std::chrono::hours(1);

    explicit ClientRequests(std::size_t max_waiting = kDefaultMaxWaiting)
        : max_waiting_(max_waiting) {}
    ClientRequests(const ClientRequests&) = delete;
    ClientRequests& operator=(const ClientRequests&) = delete;

    // Sends `method` with `params` as a request with a new id ("rdmcp-<n>") through `send` and
    // waits until the client answers, `timeout` passes, `cancellation` is cancelled or the scope
    // is closed. Unavailable when `send` returns false or too many requests wait already. A
    // request given up on (timed out, cancelled) is cancelled at the client too
    // (notifications/cancelled through `send`), so it can close its prompt.
    ClientAnswer ask(const std::string& method, const Json& params,
                     std::chrono::milliseconds timeout, CancellationToken& cancellation,
                     const SendToClient& send);

    // The client's response: handed to the request waiting for it. False when nobody waits for
    // this id (unknown, answered already, given up on): the response is dropped.
    bool deliver(ClientResponse response);

    // The scope ended (end of input, session closed, shutdown): every waiter gets Cancelled, and
    // so does every later ask.
    void close();

    std::size_t waiting() const;

  private:
    struct Waiter {
        std::optional<ClientAnswer> answer;
    };

    const std::size_t max_waiting_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::shared_ptr<Waiter>> waiting_;  // by our request id
    unsigned long long next_id_ = 0;
    bool closed_ = false;
};

}  // namespace rdmcp::protocol
