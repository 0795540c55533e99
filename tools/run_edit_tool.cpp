// run_edit_tool: POST /edit/tools/{tool_id}: a canvas edit tool on an existing image (background
// removal, inpainting, outpainting, colour reduction, palettes, seamless tiling, downscaling,
// rotation, ...). Every documented rule is checked before anything is paid; the slow tools run
// as upstream tasks keyed by custom_id, so a run is charged once however its answers go.
#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/edit_runs.h"
#include "tools/generated_images.h"
#include "tools/hosted_outputs.h"
#include "tools/idempotency_key.h"
#include "tools/price_quotes.h"
#include "tools/project_save.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition run_edit_tool_definition(const ToolsConfig& config) {
    return {
        .name = "run_edit_tool",
        .title = "Run a canvas edit tool",
        .description =
            "Runs a canvas edit tool on an image: tool_id, input_image and that tool's fields, "
            "which list_edit_tools gives with prices (free quote: estimate_edit_tool_cost). E.g. "
            "background_remover, color_reducer, palette_converter, inpainting, outpainting, "
            "seam_tiling, rotate.",
        .input_schema = edit_tool_input_schema(config),
        .output_schema = with_spend(images_output_schema()),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = true},
    };
}

std::string headline(const EditToolRequest& request, const Json& answer) {
    std::string text = "Ran " + request.tool_id + " on the " + std::to_string(request.input.width) +
                       "x" + std::to_string(request.input.height) + " image";
    const auto width = number_in(answer, "output_width");
    const auto height = number_in(answer, "output_height");
    if (width && height) {
        text += " (result " + std::to_string(static_cast<long long>(*width)) + "x" +
                std::to_string(static_cast<long long>(*height)) + ")";
    }
    for (const auto& warning : request.warnings) text += ". Note: " + warning;
    return text;
}

// What the spend guard shows the human: "background_remover on a 64x64 image".
std::string describe_edit(const EditToolRequest& request) {
    return request.tool_id + " on a " + std::to_string(request.input.width) + "x" +
           std::to_string(request.input.height) + " image";
}

}  // namespace

protocol::Tool make_run_edit_tool_tool(UpstreamPtr upstream, EditCatalogPtr catalog,
                                       ToolsConfig config, SpendGuardPtr spend) {
    auto handler = [upstream, catalog, config, spend](const Json& arguments,
                                                      protocol::RequestContext& context) {
        auto prepared = prepare_edit(arguments, *catalog, context, config.local_files_allowed);
        if (auto* refusal = std::get_if<protocol::ToolResult>(&prepared)) return *refusal;
        auto& [tool_entry, request] = std::get<PreparedEdit>(prepared);
        const auto* tool = &tool_entry;
        // Where the result goes is settled before paying: a refused place costs nothing.
        auto save = prepare_save("run_edit_tool", arguments, context, config);
        if (save.answer_now) return std::move(*save.answer_now);
        if (!save.refusal.empty()) return rejected_before_sending(save.refusal);
        auto authorized =
            spend->authorize({"run_edit_tool", describe_edit(request), arguments},
                             edit_tool_quoter(request, tool_entry, *upstream, context), context);
        if (auto* stop = std::get_if<protocol::ToolResult>(&authorized)) {
            ask_roots_again(*stop, save.place);
            return std::move(*stop);
        }
        auto& permit = std::get<SpendPermit>(authorized);

        EditRunAnswer answer;
        if (tool->slow) {
            if (!request.custom_id) {
                // A confirmed run keeps its confirmation's id (charged once if replayed).
                request.custom_id = permit.confirmation_id().empty()
                                        ? new_idempotency_key()
                                        : "rdmcp-confirmed-" + permit.confirmation_id();
            }
            auto run = run_edit_task(request, *upstream, context, config.progress_interval);
            answer = run.tasks_unavailable
                         ? run_edit_now(request, *upstream, context, config.progress_interval)
                         : std::move(run.answer);
        } else {
            answer = run_edit_now(request, *upstream, context, config.progress_interval);
        }
        if (auto* error = std::get_if<protocol::ToolResult>(&answer)) return std::move(*error);
        const Json& body = std::get<Json>(answer);

        auto images = read_inference_images(body, 1, false, false);
        const auto cost = images.balance_cost ? images.balance_cost : permit.quoted_usd();
        if (cost) permit.settle(*cost);
        for (auto& label : images.labels) label = request.tool_id;
        if (images.base64_images.empty() && images.output_urls.empty()) {
            return protocol::ToolResult::error(
                "Running " + request.tool_id +
                " returned no image although the API reported success" +
                (images.balance_cost ? " (cost " + format_usd(*images.balance_cost) + ")" : "") +
                ". Check get_balance before running it again.");
        }
        // Hosted results are fetched and treated like inline ones, unless links were asked for.
        const std::string not_inlined =
            request.upload_outputs ? "" : inline_hosted_outputs(images, *upstream, context);
        std::string text = headline(request, body);
        if (!not_inlined.empty()) text += ". " + not_inlined;
        auto result = render_images(std::move(images),
                                    {.headline = std::move(text),
                                     .file_stem = request.tool_id,
                                     .output_dir = request.output_dir,
                                     .save = std::move(save.plan)},
                                    config);
        permit.annotate(result, cost);
        return result;
    };
    return {run_edit_tool_definition(config), handler};
}

}  // namespace rdmcp::tools
