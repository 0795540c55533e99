#pragma once
// A request HTTP itself refuses, before or instead of the engine: the status, the JSON-RPC error
// its body carries, what the log line says, and (for 503) when to come back. Built where the
// refusal is decided; written and logged by reject(), so every refusal looks the same on the
// wire and in the log.
#include <httplib.h>

#include <string>

#include "protocol/json_rpc.h"
#include "server/http/request_log.h"

namespace rdmcp::server {

struct Rejection {
    int http_status;
    protocol::RpcError error;
    std::string reason;                // for the log line; the error's message when empty
    int retry_after_seconds = 0;       // sent as Retry-After when set
    const char* outcome = "rejected";  // "error" for a JSON-RPC error answered with 200
};

// A refusal whose body is a -32600 Invalid Request error.
Rejection invalid_request(int status, std::string message, std::string reason);

// The -32000 error of a 503 that asks the client to come back in `seconds`.
Rejection unavailable(std::string message, std::string reason, int seconds);

// The same for a 429: this caller is over its own quota; others are still served.
Rejection too_many_requests(std::string message, std::string reason, int seconds);

void reject(httplib::Response& response, RequestLog& log, const ExchangeRecord& record,
            const protocol::Json& id, const Rejection& rejection);

}  // namespace rdmcp::server
