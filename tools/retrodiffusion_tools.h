#pragma once
// The RetroDiffusion tool set, ready for the MCP engine. Each tool lives in its own file and
// is made by a make_*_tool function; this is the table of contents.
#include <memory>
#include <string>

#include "protocol/tool.h"
#include "tools/tools_config.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

using UpstreamPtr = std::shared_ptr<const UpstreamClient>;

protocol::Tool make_create_inference_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_estimate_inference_cost_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_edit_image_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_list_available_styles_tool();
protocol::Tool make_get_balance_tool(UpstreamPtr upstream);
protocol::Tool make_create_user_style_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_update_user_style_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_delete_user_style_tool(UpstreamPtr upstream);

// Every tool, in the order tools/list shows them.
protocol::ToolRegistry make_retrodiffusion_tools(UpstreamPtr upstream, const ToolsConfig& config);

// Guidance for the agent, sent as the server's `instructions`.
std::string server_instructions();

}  // namespace rdmcp::tools
