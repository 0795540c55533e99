#pragma once
// The RetroDiffusion tool set, ready for the MCP engine. Each tool lives in its own file and
// is made by a make_*_tool function; this is the table of contents.
#include <memory>
#include <string>

#include "protocol/tool.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

protocol::Tool make_get_balance_tool(std::shared_ptr<const UpstreamClient> upstream);
protocol::Tool make_list_available_styles_tool();

// Every tool, in the order tools/list shows them.
protocol::ToolRegistry make_retrodiffusion_tools(std::shared_ptr<const UpstreamClient> upstream);

// Guidance for the agent, sent as the server's `instructions`.
std::string server_instructions();

}  // namespace rdmcp::tools
