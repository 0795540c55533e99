#pragma once
// The RetroDiffusion tool set, ready for the MCP engine. Each tool lives in its own file and
// is made by a make_*_tool function; this is the table of contents.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/prompts.h"
#include "protocol/resources.h"
#include "protocol/tasks.h"
#include "protocol/tool.h"
#include "tools/live_style_catalog.h"
#include "tools/tools_config.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

using UpstreamPtr = std::shared_ptr<const UpstreamClient>;
struct JobServices;
using JobsPtr = std::shared_ptr<const JobServices>;
class EditToolCatalog;
class SpendGuard;
using SpendGuardPtr = std::shared_ptr<SpendGuard>;
using EditCatalogPtr = std::shared_ptr<EditToolCatalog>;

protocol::Tool make_create_inference_tool(JobsPtr jobs);
protocol::Tool make_estimate_inference_cost_tool(UpstreamPtr upstream, ToolsConfig config,
                                                 StylesPtr styles = nullptr);
protocol::Tool make_edit_image_tool(UpstreamPtr upstream, ToolsConfig config, SpendGuardPtr spend);
protocol::Tool make_list_edit_tools_tool(EditCatalogPtr catalog);
protocol::Tool make_estimate_edit_tool_cost_tool(UpstreamPtr upstream, EditCatalogPtr catalog,
                                                 ToolsConfig config);
protocol::Tool make_run_edit_tool_tool(UpstreamPtr upstream, EditCatalogPtr catalog,
                                       ToolsConfig config, SpendGuardPtr spend);
protocol::Tool make_fix_pixel_art_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_extract_palette_tool(ToolsConfig config);
// styles: the live catalog; null lists the built-in catalog alone (no API call).
protocol::Tool make_list_available_styles_tool(StylesPtr styles = nullptr);
protocol::Tool make_list_available_models_tool(StylesPtr styles = nullptr);
protocol::Tool make_get_style_usage_tool(StylesPtr styles = nullptr);
protocol::Tool make_get_balance_tool(UpstreamPtr upstream, SpendGuardPtr spend = nullptr);
protocol::Tool make_get_service_status_tool(UpstreamPtr upstream);
protocol::Tool make_authenticate_tool(UpstreamPtr upstream);
protocol::Tool make_logout_tool();
protocol::Tool make_create_user_style_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_update_user_style_tool(UpstreamPtr upstream, ToolsConfig config);
protocol::Tool make_delete_user_style_tool(UpstreamPtr upstream);
protocol::Tool make_start_inference_job_tool(JobsPtr jobs);
protocol::Tool make_get_inference_job_tool(JobsPtr jobs);
protocol::Tool make_list_inference_jobs_tool(JobsPtr jobs);
protocol::Tool make_get_inference_result_tool(JobsPtr jobs);
std::shared_ptr<const protocol::TaskProvider> make_inference_task_provider(JobsPtr jobs);
// Low-Poly 3D models (tools/lowpoly_*.cpp).
struct LowPolyServices;
using LowPolyPtr = std::shared_ptr<const LowPolyServices>;
protocol::Tool make_get_lowpoly_pricing_tool(LowPolyPtr lowpoly);
protocol::Tool make_estimate_lowpoly_cost_tool(LowPolyPtr lowpoly);
// start_lowpoly_generate, _revise, _animate, _split, _rerig.
std::vector<protocol::Tool> make_lowpoly_start_tools(LowPolyPtr lowpoly);
// One of them, by name (start_lowpoly_generate, ...), and their names.
protocol::Tool make_lowpoly_start_tool(LowPolyPtr lowpoly, std::string_view name);
std::vector<std::string> lowpoly_start_tool_names();
protocol::Tool make_get_lowpoly_job_tool(LowPolyPtr lowpoly);
protocol::Tool make_get_lowpoly_model_tool(LowPolyPtr lowpoly);
protocol::Tool make_list_lowpoly_models_tool(LowPolyPtr lowpoly);
protocol::Tool make_export_lowpoly_model_tool(LowPolyPtr lowpoly);
protocol::Tool make_recolor_lowpoly_model_tool(LowPolyPtr lowpoly);
protocol::Tool make_delete_lowpoly_animation_tool(LowPolyPtr lowpoly);

// Everything the MCP engine needs from the RetroDiffusion domain.
struct ToolSet {
    protocol::ToolRegistry registry;  // every tool, in the order tools/list shows them
    std::shared_ptr<const protocol::TaskProvider> tasks;
    protocol::ResourceRegistry resources;  // tools/rd_resources.h
    protocol::PromptRegistry prompts;      // tools/rd_prompts.h
};
ToolSet make_tool_set(UpstreamPtr upstream, const ToolsConfig& config);

// The tools alone (for callers that do not offer the Tasks extension).
protocol::ToolRegistry make_retrodiffusion_tools(UpstreamPtr upstream, const ToolsConfig& config);

// Guidance for the agent, sent as the server's `instructions`.
std::string server_instructions();

}  // namespace rdmcp::tools
