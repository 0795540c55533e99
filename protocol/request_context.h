#pragma once
// Everything one request carries through the rooms: the caller's key (never stored anywhere
// else but the caller's own KeyHolder), the protocol version it speaks, who it is, how to reach it
// with notifications, and whether it has been cancelled. Passed down by reference; tools never see
// a transport.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/cancellation.h"
#include "protocol/client_requests.h"
#include "protocol/json_rpc.h"
#include "protocol/key_holder.h"

namespace rdmcp::protocol {

// Progress notifications that last as long as it does (protocol/progress.h's heartbeat).
class ProgressScope {
  public:
    virtual ~ProgressScope() = default;
};

struct RequestContext {
    // The RetroDiffusion API key of this caller: RD_API_KEY over stdio, the bearer token over
    // HTTP, or the key the authenticate tool set earlier. Empty when the caller has none.
    std::string api_key;
    KeySource key_source = KeySource::None;
    // Where authenticate and logout set and clear this caller's key: the stdio process's holder
    // (when no RD_API_KEY was given) or the 2025-era HTTP session's. Null where no key can be
    // held beyond the request (2026-07-28 and stateless HTTP) or the key is fixed elsewhere.
    std::shared_ptr<KeyHolder> key_holder;

    std::string protocol_version;
    Json client_info = Json::object();
    Json client_capabilities = Json::object();
    std::optional<std::string> log_level;  // 2026-07-28: per request, in _meta
    // The client declared the Tasks extension on this request: a tool may answer with a task.
    bool tasks_supported = false;

    // Present when the client asked for progress on this request.
    std::optional<Json> progress_token;

    // An MRTR retry (2026-07-28 tools/call): the client's answers to the inputRequests of the
    // previous attempt (an object, empty when none) and the requestState it echoed back.
    Json input_responses = Json::object();
    std::optional<std::string> request_state;

    // MCP 2025-11-25 and earlier: sends a request (elicitation/create) to this request's client
    // and waits for the answer. Set by the dispatcher only where the answer can come back (the
    // stdio stream, a legacy HTTP session streaming its answer as SSE); empty otherwise.
    AskClient ask_client;

    // Sends one notification to this request's client (stdout line, SSE event). Set by the
    // transport; may be empty in tests.
    std::function<void(std::string_view method, const Json& params)> notify;

    std::shared_ptr<CancellationToken> cancellation = std::make_shared<CancellationToken>();

    // A short id for log lines ("stdio-42"); never contains the key.
    std::string log_id;

    bool is_cancelled() const { return cancellation && cancellation->is_cancelled(); }

    // While a call waits: one progress notification now and one every `interval` until the
    // returned scope ends, each with `message` and the time waited; nothing for a request that
    // sent no progress token. Tools hold the scope around their upstream call.
    std::unique_ptr<ProgressScope> report_progress_while(
        std::string message, std::chrono::milliseconds interval = std::chrono::seconds(5)) const;
};

}  // namespace rdmcp::protocol
