#pragma once
// The prompts this server offers (MCP prompts, shown by clients as slash commands): proven
// workflows that walk the agent through the tools in order: estimate, generate, finish.
#include "protocol/prompts.h"
#include "tools/live_style_catalog.h"

namespace rdmcp::tools {

// `styles` completes the prompt_style arguments (the caller's cached catalog, or the built-in).
protocol::PromptRegistry make_prompts(StylesPtr styles);

}  // namespace rdmcp::tools
