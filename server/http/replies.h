#pragma once
// Small pieces every HTTP answer is made of: JSON and error bodies, what the client accepts,
// and which HTTP status a JSON-RPC error takes on the wire.
#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "protocol/json_rpc.h"
#include "protocol/mcp_server.h"

namespace rdmcp::server {

// The body is moved into the response, not copied (an answer can be large: tools/list).
void reply_json(httplib::Response& response, int status, std::string body);
// A JSON-RPC error response (id null when the request's id is unknown) with an HTTP status.
void reply_error(httplib::Response& response, int status, const protocol::Json& id,
                 const protocol::RpcError& error);
// A status with no body (202 Accepted, 200 for DELETE).
void reply_empty(httplib::Response& response, int status);
// 503 with Retry-After, for overload and shutdown.
void reply_unavailable(httplib::Response& response, const protocol::Json& id, std::string message,
                       int retry_after_seconds);

// The media types an Accept header admits (wildcards count; no header admits JSON only).
struct Accepts {
    bool json = false;
    bool sse = false;
};
Accepts parse_accept(std::optional<std::string_view> header);

// Whether a Content-Type names JSON (absent counts as JSON: some clients send none).
bool is_json_content_type(std::optional<std::string_view> header);

// The HTTP status of a 2026-07-28 request answered by the engine with an error: 404 for an
// unknown method and 400 for a missing client capability, as the spec says; any other error
// is part of a successful exchange (200), as in the official SDKs.
int status_for_engine_error(const protocol::RpcError& error);
// The HTTP status of an error found before dispatch (the _meta envelope, the version): 400.
int status_for_prepare_error(const protocol::RpcError& error);

// ok, tool_error or error, for logs and metrics.
std::string_view outcome_name(const protocol::Outcome& outcome);

std::optional<std::string> header_value(const httplib::Request& request, const char* name);

}  // namespace rdmcp::server
