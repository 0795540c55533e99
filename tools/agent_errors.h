#pragma once
// Turns an upstream failure into a tool error an agent can act on: what happened, whether it
// cost anything, and what to do next (set the key, wait, fix a field, retry).
#include <string>
#include <string_view>

#include "protocol/tool.h"
#include "tools/upstream_error.h"

namespace rdmcp::tools {

protocol::ToolResult tool_error_for(const UpstreamError& error, std::string_view action);

// `text` ending with a full stop (or ?/!), so messages joined together read as sentences.
std::string as_sentence(std::string text);

// A tool error for a request refused before anything was sent.
protocol::ToolResult rejected_before_sending(std::string problem);

}  // namespace rdmcp::tools
