#pragma once
// The folders the client has open (MCP roots), where a stdio server may save a project's
// assets. MCP 2025-11-25 clients are asked with a roots/list request in the middle of the call;
// 2026-07-28 clients through MRTR: the call answers input_required with a roots/list input
// request, and the retry carries the answer in inputResponses. Only file:// roots count.
#include <filesystem>
#include <string>
#include <vector>

#include "protocol/json_rpc.h"
#include "protocol/request_context.h"

namespace rdmcp::tools {

inline constexpr const char* kRootsInputKey = "roots";

struct ClientRoots {
    std::vector<std::filesystem::path> folders;  // absolute local paths, in the client's order
    bool declared = false;                       // the client has the roots capability
    bool must_ask = false;  // 2026-07-28: answer input_required with roots_input_request() first
    std::string problem;    // asked, but the answer was unusable (why, for the agent)
};

// What this request's client says its roots are (asking it when it can be asked now).
ClientRoots client_roots(protocol::RequestContext& context);

// The input request for a 2026-07-28 client's roots, to put under kRootsInputKey.
protocol::Json roots_input_request();

// The local path of a file:// URI ("file:///home/me/game", "file://localhost/..."), percent-
// decoded; nothing for another scheme, another host, or a relative path.
std::optional<std::filesystem::path> file_uri_path(std::string_view uri);

}  // namespace rdmcp::tools
