// recolor_lowpoly_model: POST /lowpoly/assets/{id}/recolor, synchronous, answers with the model
// and its new version. color_reducer and palette_converter are free; color_style_transfer costs
// $0.01 (documented), so it passes the spend guard first and is sent once.
#include "tools/agent_errors.h"
#include "tools/lowpoly_tools.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

protocol::Tool make_recolor_lowpoly_model_tool(LowPolyPtr lowpoly) {
    const Json image = {{"type", "string"}, {"description", "PNG, JPEG or WEBP."}};
    Json properties = {{"asset_id", {{"type", "string"}}},
                       {"tool",
                        {{"type", "string"},
                         {"enum", kLowPolyRecolorTools},
                         {"description", "color_style_transfer: $0.01; the others free."}}},
                       {"color_count", {{"type", "integer"}, {"minimum", 2}, {"maximum", 256}}},
                       {"dither_mode", {{"type", "string"}, {"enum", kLowPolyDitherModes}}},
                       {"dither_strength", {{"type", "number"}, {"minimum", 0}, {"maximum", 10}}},
                       {"palette_image", image},
                       {"reference_image", image},
                       {"version", {{"type", "integer"}, {"minimum", 1}}},
                       {kMaxCostArgument, max_cost_schema()}};
    protocol::ToolDefinition definition{
        .name = "recolor_lowpoly_model",
        .title = "Recolor a Low-Poly 3D model",
        .description = "Recolors a model into a new version.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"asset_id", "tool"}}},
        .output_schema = with_spend(lowpoly_model_output_schema()),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = true},
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        auto built = build_lowpoly_recolor(arguments, lowpoly_image_policy(lowpoly->config));
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(std::move(*problem));
        }
        const auto& request = std::get<LowPolyRecolorRequest>(built);
        std::optional<SpendPermit> permit;
        if (request.paid()) {
            auto authorized = lowpoly->spend->authorize(
                {"recolor_lowpoly_model", "color_style_transfer on model " + request.asset_id,
                 arguments},
                [] {
                    return std::variant<PriceQuote, ToolResult>(
                        PriceQuote{kLowPolyStyleTransferUsd, "the documented price"});
                },
                context);
            if (auto* stop = std::get_if<ToolResult>(&authorized)) return std::move(*stop);
            permit.emplace(std::move(std::get<SpendPermit>(authorized)));
        }
        auto reply =
            lowpoly->upstream->post(lowpoly_recolor_path(request), upstream_body(request), context);
        if (!reply.ok()) {
            if (permit && charged_nothing(*reply.error)) permit->nothing_charged();
            auto error = tool_error_for(*reply.error, "Recoloring the model");
            if (permit && !charged_nothing(*reply.error)) {
                error.content[0]["text"] =
                    error.content[0]["text"].get<std::string>() +
                    " The recolor may have been made and charged: check get_lowpoly_model for a "
                    "new version before running it again.";
            }
            return error;
        }
        auto result = model_result("Recolored with " + request.tool + ".", reply.body);
        if (permit) {
            permit->settle(kLowPolyStyleTransferUsd);
            permit->annotate(result, kLowPolyStyleTransferUsd);
        }
        return result;
    };
    return {definition, handler};
}

}  // namespace rdmcp::tools
