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

}  // namespace rdmcp::protocol
