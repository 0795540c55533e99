// edit_image: POST /v1/edit — change an image by describing the change ("add a hat"). Feed an
// output back in for progressive editing. Falls back to the newer edit tool endpoint
// (POST /v1/edit/tools/image_edit) when the API has retired /v1/edit (404 or 410).
#include "tools/agent_errors.h"
#include "tools/edit_image_request.h"
#include "tools/hosted_outputs.h"
#include "tools/project_save.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/spend_guard.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition edit_image_definition(const ToolsConfig& config) {
    Json properties = {
        {"prompt",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "The change, e.g. \"add a red hat\"."}}},
        {"input_image", {{"type", "string"}, {"description", "16-256 px a side."}}},
        {"seed", {{"type", "integer"}}},
    };
    properties[kMaxCostArgument] = max_cost_schema();
    if (config.local_files_allowed) {
        properties["output_dir"] = {{"type", "string"}, {"minLength", 1}};
    }
    add_save_properties(properties, config.local_files_allowed, /*with_frames=*/false);
    return {
        .name = "edit_image",
        .title = "Edit a pixel-art image",
        .description =
            "Edits an image (16-256 px) by a text instruction ($0.06). Chain edits by passing the "
            "result back. For masks, backgrounds, palettes: run_edit_tool.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"prompt", "input_image"}},
                         {"additionalProperties", false}},
        .output_schema = with_spend(images_output_schema()),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = true},
    };
}

// The documented price of one /edit (retrodiffusion-api.md: "Cost is 0.06 USD per image edit").
constexpr double kEditImagePrice = 0.06;

}  // namespace

protocol::Tool make_edit_image_tool(UpstreamPtr upstream, ToolsConfig config, SpendGuardPtr spend) {
    auto handler = [upstream, config, spend](const Json& arguments,
                                             protocol::RequestContext& context) {
        auto built =
            build_edit_image_request(arguments, {.allow_local_files = config.local_files_allowed});
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(*problem);
        }
        auto& request = std::get<EditImageRequest>(built);
        const auto& info = request.image.info;
        // Where the result goes is settled before paying: a refused place costs nothing.
        auto save = prepare_save("edit_image", arguments, context, config);
        if (save.answer_now) return std::move(*save.answer_now);
        if (!save.refusal.empty()) return rejected_before_sending(save.refusal);
        // No estimate endpoint for /edit: its documented price.
        auto authorized = spend->authorize(
            {"edit_image",
             "editing a " + std::to_string(info.width) + "x" + std::to_string(info.height) +
                 " image",
             arguments},
            [] {
                return std::variant<PriceQuote, protocol::ToolResult>(
                    PriceQuote{kEditImagePrice, "the documented price per edit"});
            },
            context);
        if (auto* stop = std::get_if<protocol::ToolResult>(&authorized)) {
            ask_roots_again(*stop, save.place);
            return std::move(*stop);
        }
        auto& permit = std::get<SpendPermit>(authorized);

        UpstreamResult reply;
        {
            const auto progress = context.report_progress_while(
                "Waiting for RetroDiffusion to edit the image", config.progress_interval);
            // Every argument the tool accepts reaches the API, on either endpoint. The image
            // goes apart from the body, moved from one endpoint's name to the other's, never
            // copied.
            const Json body = upstream_body(request);
            Json image = Json::object();
            image[kEditImageField] = std::move(request.image.base64);
            reply = upstream->post("/edit", body, image, context);
            const bool endpoint_gone = !reply.ok() &&
                                       reply.error->kind == UpstreamError::Kind::Http &&
                                       (reply.error->status == 404 || reply.error->status == 410);
            // image_edit costs more than /edit: it goes only where no limit priced this call.
            if (endpoint_gone && permit.quoted_usd()) {
                permit.nothing_charged();
                return protocol::ToolResult::error(
                    "Not sent, nothing was charged: the API no longer serves /edit, and its "
                    "successor costs more than the price this call was allowed at. Call "
                    "run_edit_tool with tool_id image_edit instead (estimate_edit_tool_cost "
                    "prices it).");
            }
            if (endpoint_gone) {
                Json tool_image = Json::object();
                tool_image[kEditToolImageField] = std::move(image[kEditImageField]);
                reply = upstream->post("/edit/tools/image_edit", body, tool_image, context);
            }
        }
        if (!reply.ok()) {
            if (charged_nothing(*reply.error)) permit.nothing_charged();
            return tool_error_for(*reply.error, "Editing the image");
        }

        auto images = read_edit_answer(reply.body);
        if (!images.request_id && !reply.request_id.empty()) images.request_id = reply.request_id;
        if (images.base64_images.empty() && images.output_urls.empty()) {
            return protocol::ToolResult::error(
                "Editing the image returned no image although the API reported success. Check "
                "get_balance before retrying.");
        }
        // The newer endpoint answers with hosted links only (image_edit always does).
        const std::string not_inlined = inline_hosted_outputs(images, *upstream, context);
        const auto cost = images.balance_cost ? images.balance_cost : permit.quoted_usd();
        if (cost) permit.settle(*cost);
        auto result = render_images(std::move(images),
                                    {.headline = "Edited the " + std::to_string(info.width) + "x" +
                                                 std::to_string(info.height) + " image" +
                                                 (not_inlined.empty() ? "" : ". " + not_inlined),
                                     .file_stem = "edit",
                                     .output_dir = request.output_dir,
                                     .save = std::move(save.plan)},
                                    config);
        permit.annotate(result, cost);
        return result;
    };
    return {edit_image_definition(config), handler};
}

}  // namespace rdmcp::tools
