#pragma once
// The MCP headers of a POST and what they say about its body: which protocol generation it
// speaks (the body decides; the MCP-Protocol-Version header must agree), and, for 2026-07-28,
// whether the mirrored MCP-Protocol-Version / Mcp-Method / Mcp-Name headers match the body.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/json_rpc.h"
#include "server/http/rejection.h"

namespace rdmcp::server {

// The MCP headers of one HTTP request, trimmed of surrounding whitespace.
struct McpHeaders {
    std::optional<std::string> protocol_version;  // MCP-Protocol-Version
    std::optional<std::string> method;            // Mcp-Method
    std::optional<std::string> name;              // Mcp-Name
    std::optional<std::string> session_id;        // Mcp-Session-Id
};

enum class Era {
    Modern,  // 2026-07-28: stateless, everything in _meta and mirrored in headers
    Legacy,  // 2025-11-25 and earlier: initialize, then a session (or --stateless)
};

// The era of a decoded message (a Request, Notification or ClientResponse):
//  - `initialize` is the legacy handshake (a modern MCP-Protocol-Version header on it is a
//    mismatch);
//  - a request whose _meta names a protocol version is modern unless that version is a legacy
//    one (then it is legacy); the header, when present, must name the same version, and a
//    present Mcp-Method must name the body's method;
//  - a request without that _meta entry is legacy, unless the header names a modern version
//    (then the required _meta envelope is missing: -32602);
//  - notifications follow the same rules, with the header deciding when the body is silent;
//  - responses posted by a client are legacy traffic.
std::variant<Era, Rejection> classify(const protocol::Decoded& message, const McpHeaders& headers);

// 2026-07-28 "Server Validation" for a modern request: MCP-Protocol-Version and Mcp-Method are
// required; Mcp-Name is required for tools/call, prompts/get, resources/read (params.name or
// params.uri) and tasks/get|update|cancel (params.taskId) when the body carries that value;
// values may use the =?base64?...?= form and must match the body. Failures are 400 / -32020.
std::optional<Rejection> check_standard_headers(const protocol::Request& request,
                                                const McpHeaders& headers);

// A header value in its plain or =?base64?...?= form, decoded; nothing when the encoding is
// invalid or the plain value holds characters a header may not carry.
std::optional<std::string> decode_header_value(std::string_view value);

// The body field Mcp-Name mirrors for `method` ("name", "uri", "taskId"), if any.
std::optional<std::string_view> mcp_name_source(std::string_view method);

}  // namespace rdmcp::server
