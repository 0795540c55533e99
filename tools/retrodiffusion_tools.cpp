#include "tools/retrodiffusion_tools.h"

#include <functional>
#include <stdexcept>

#include "tools/edit_tool_catalog.h"
#include "tools/inference_jobs.h"
#include "tools/lowpoly_tools.h"
#include "tools/rd_prompts.h"
#include "tools/rd_resources.h"
#include "tools/spend_guard.h"
#include "tools/toolsets.h"

namespace rdmcp::tools {

ToolSet make_tool_set(UpstreamPtr upstream, const ToolsConfig& config) {
    // One live catalog for every tool, so what list_available_styles fetched validates the
    // generations that follow.
    auto styles = std::make_shared<LiveStyleCatalog>(upstream);
    // One guard for every paid tool: the budget is per key across all of them.
    auto spend = std::make_shared<SpendGuard>(config.spend_limits, config.job_secret);
    auto jobs = std::make_shared<const JobServices>(JobServices{
        upstream, config, std::make_shared<JobLedger>(), config.job_secret, styles, spend});
    ToolSet set;
    // Only the groups the user chose (--toolsets); the always-on account tools in any case.
    // Each tool is made when the registry is first read, not here (protocol/tool.h).
    struct Offered {
        protocol::ToolRegistry& all;
        const std::set<std::string>& chosen;
        bool output_schemas;
        void add(const std::string& name, std::function<protocol::Tool()> make) const {
            const auto group = toolset_of(name);
            if (!group) throw std::logic_error("no toolset names " + name);
            if (!chosen.empty() && *group != kAlwaysOnToolset &&
                !chosen.count(std::string(*group))) {
                return;
            }
            all.add(name, [make = std::move(make), output_schemas = output_schemas] {
                auto tool = make();
                if (!output_schemas) tool.definition.output_schema.reset();
                return tool;
            });
        }
    } registry{set.registry, config.toolsets, config.output_schemas};
    registry.add("create_inference", [=] { return make_create_inference_tool(jobs); });
    registry.add("estimate_inference_cost",
                 [=] { return make_estimate_inference_cost_tool(upstream, config, styles); });
    registry.add("edit_image", [=] { return make_edit_image_tool(upstream, config, spend); });
    // The catalog is public: one cache serves every caller.
    auto edit_catalog = std::make_shared<EditToolCatalog>(*upstream);
    registry.add("list_edit_tools", [=] { return make_list_edit_tools_tool(edit_catalog); });
    registry.add("estimate_edit_tool_cost",
                 [=] { return make_estimate_edit_tool_cost_tool(upstream, edit_catalog, config); });
    registry.add("run_edit_tool",
                 [=] { return make_run_edit_tool_tool(upstream, edit_catalog, config, spend); });
    registry.add("fix_pixel_art", [=] { return make_fix_pixel_art_tool(upstream, config); });
    registry.add("extract_palette", [=] { return make_extract_palette_tool(config); });
    auto lowpoly =
        std::make_shared<const LowPolyServices>(LowPolyServices{upstream, config, spend});
    registry.add("get_lowpoly_pricing", [=] { return make_get_lowpoly_pricing_tool(lowpoly); });
    registry.add("estimate_lowpoly_cost", [=] { return make_estimate_lowpoly_cost_tool(lowpoly); });
    for (const auto& name : lowpoly_start_tool_names())
        registry.add(name, [=] { return make_lowpoly_start_tool(lowpoly, name); });
    registry.add("get_lowpoly_job", [=] { return make_get_lowpoly_job_tool(lowpoly); });
    registry.add("get_lowpoly_model", [=] { return make_get_lowpoly_model_tool(lowpoly); });
    registry.add("list_lowpoly_models", [=] { return make_list_lowpoly_models_tool(lowpoly); });
    registry.add("export_lowpoly_model", [=] { return make_export_lowpoly_model_tool(lowpoly); });
    registry.add("recolor_lowpoly_model", [=] { return make_recolor_lowpoly_model_tool(lowpoly); });
    registry.add("delete_lowpoly_animation",
                 [=] { return make_delete_lowpoly_animation_tool(lowpoly); });
    registry.add("list_available_styles", [=] { return make_list_available_styles_tool(styles); });
    registry.add("list_available_models", [=] { return make_list_available_models_tool(styles); });
    registry.add("get_style_usage", [=] { return make_get_style_usage_tool(styles); });
    registry.add("get_balance", [=] { return make_get_balance_tool(upstream, spend); });
    registry.add("get_service_status", [=] { return make_get_service_status_tool(upstream); });
    registry.add("create_user_style",
                 [=] { return make_create_user_style_tool(upstream, config); });
    registry.add("update_user_style",
                 [=] { return make_update_user_style_tool(upstream, config); });
    registry.add("delete_user_style", [=] { return make_delete_user_style_tool(upstream); });
    registry.add("start_inference_job", [=] { return make_start_inference_job_tool(jobs); });
    registry.add("get_inference_job", [=] { return make_get_inference_job_tool(jobs); });
    registry.add("list_inference_jobs", [=] { return make_list_inference_jobs_tool(jobs); });
    registry.add("get_inference_result", [=] { return make_get_inference_result_tool(jobs); });
    // Last: most clients never need them (RD_API_KEY or the Authorization header is better).
    registry.add("authenticate", [=] { return make_authenticate_tool(upstream); });
    registry.add("logout", [] { return make_logout_tool(); });
    set.tasks = make_lowpoly_task_provider(lowpoly, make_inference_task_provider(jobs));
    set.resources = make_resources(styles, jobs, set.tasks);
    // The workflows generate: without that group they would name tools the agent does not have.
    if (config.toolsets.empty() || config.toolsets.count("generate")) {
        set.prompts = make_prompts(styles);
    }
    return set;
}

protocol::ToolRegistry make_retrodiffusion_tools(UpstreamPtr upstream, const ToolsConfig& config) {
    return make_tool_set(std::move(upstream), config).registry;
}

std::string server_instructions() {
    return "RetroDiffusion generates pixel art (images, animations, tilesets) with the caller's "
           "own API key; generations cost real money.\n"
           "- Pick a style first with list_available_styles: it gives each prompt_style's sizes "
           "and price; filtered, also batch limit and inputs (live from the API, your user styles "
           "included). list_available_models compares the model families; get_style_usage "
           "explains one style: its inputs, price at your size, an example call and tips.\n"
           "- Prompts describe the subject only (\"a knight resting by a campfire\"); never "
           "write \"pixel art\" or style words: prompt_style does that.\n"
           "- Whoever runs this server may set spend limits: a call above one is refused "
           "(\"Not sent, nothing was charged\") or the user is asked to confirm it. Pass "
           "max_cost (USD) to cap a call yourself; never retry a refused call unchanged.\n"
           "- Estimate the cost first with estimate_inference_cost (free) and check the balance "
           "with get_balance before large batches.\n"
           "- Generations can take minutes. If your client gives up on long tool calls, use "
           "start_inference_job and poll get_inference_job instead (never submit twice: "
           "list_inference_jobs finds a lost job_id).\n"
           "- Without a key, ask the user to set RD_API_KEY or the Authorization header; the "
           "authenticate tool is for clients that can do neither (the key then passes through "
           "this conversation).\n"
           "- To finish an asset, run_edit_tool edits an existing image: background_remover, "
           "color_reducer or palette_converter, inpainting (with a mask_image), outpainting, "
           "seam_tiling, k_centroid_downscale, rotate; list_edit_tools gives each tool's fields "
           "and price.\n"
           "- Reuse a seed to iterate on one composition: change only the prompt.\n"
           "- Low-poly 3D models for games: start_lowpoly_generate (then animate, revise, split "
           "or re-rig a model), poll get_lowpoly_job every 10-20 s (jobs take 1-15 min), and "
           "export_lowpoly_model for Godot, Unity, Blender and more; get_lowpoly_pricing and "
           "estimate_lowpoly_cost are free.\n"
           "- To clean up upscaled, blurry or AI-rendered pixel art, use fix_pixel_art (free; 10 "
           "calls a minute).\n"
           "- For a consistent character, generate once with an RD Pro style, then pass that "
           "image in reference_images.\n"
           "- Images come back as PNG (animations as GIF). Image arguments are raw base64 PNGs "
           "or data: URLs (local file paths too when the server runs locally).\n"
           "- Locally, save_to (a folder of the project, relative to its first root) and "
           "filename save the results as files: nothing is overwritten, and a .rd.json beside "
           "each records how it was made.";
}

}  // namespace rdmcp::tools
