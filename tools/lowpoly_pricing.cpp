// get_lowpoly_pricing (GET /lowpoly/pricing) and estimate_lowpoly_cost (POST /lowpoly/estimate):
// both free, both read-only.
#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/lowpoly_tools.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr protocol::ToolAnnotations kReadOnly{
    .read_only = true, .destructive = false, .idempotent = true, .open_world = true};

Json pricing_schema() {
    return {{"type", "object"},
            {"properties",
             {{"sizes", {{"type", "array"}}},
              {"default_size", {{"description", "pixels, or \"auto\""}}},
              {"prices", nullable("object")},
              {"styles", {{"type", "array"}}},
              {"prompt_max", nullable("integer")},
              {"max_reference_images", nullable("integer")},
              {"export_targets", {{"type", "array"}}},
              {"rig_cost", nullable("number")}}}};
}

Json start_fields_schema() {
    return {{"prompt",
             {{"type", "string"},
              {"maxLength", kMaxLowPolyPrompt},
              {"description", "What to make or change."}}},
            {"size",
             {{"oneOf",
               {{{"type", "string"}, {"enum", {"auto"}}},
                {{"type", "integer"}, {"enum", {16, 32, 64, 128, 256}}}}},
              {"description", "Default auto."}}},
            {"style",
             {{"type", "string"},
              {"enum", kLowPolyStyles},
              {"description", "Default rd_lowpoly__detailed; _lite costs less."}}},
            {"asset_id", {{"type", "string"}, {"description", "All but generate."}}}};
}

}  // namespace

protocol::Tool make_get_lowpoly_pricing_tool(LowPolyPtr lowpoly) {
    protocol::ToolDefinition definition{
        .name = "get_lowpoly_pricing",
        .title = "Low-Poly 3D prices, styles and export targets",
        .description =
            "Low-Poly 3D prices by operation, size and style; styles, sizes, export targets. Free.",
        .input_schema = {{"type", "object"}, {"properties", Json::object()}},
        .output_schema = pricing_schema(),
        .annotations = kReadOnly,
    };
    auto handler = [lowpoly](const Json&, protocol::RequestContext& context) {
        auto reply = lowpoly->upstream->get("/lowpoly/pricing", context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Reading the Low-Poly pricing");
        if (!reply.body.is_object()) {
            return protocol::ToolResult::error("The Low-Poly pricing was not a JSON object.");
        }
        auto result = protocol::ToolResult::text(
            "Low-Poly 3D pricing (USD): " +
            reply.body.dump(-1, ' ', false, Json::error_handler_t::replace));
        result.structured_content = without_nulls(reply.body);
        return result;
    };
    return {definition, handler};
}

protocol::Tool make_estimate_lowpoly_cost_tool(LowPolyPtr lowpoly) {
    Json properties = start_fields_schema();
    properties["operation"] = {{"type", "string"},
                               {"enum", {"generate", "revise", "animate", "split", "rerig"}},
                               {"description", "Default generate."}};
    protocol::ToolDefinition definition{
        .name = "estimate_lowpoly_cost",
        .title = "Price a Low-Poly 3D job",
        .description = "Free: the price of a Low-Poly job before it starts.",
        .input_schema = {{"type", "object"}, {"properties", properties}},
        .output_schema = Json{{"type", "object"},
                              {"properties",
                               {{"operation", nullable("string")},
                                {"size", {{"description", "pixels, or \"auto\""}}},
                                {"size_source", nullable("string")},
                                {"cost", nullable("number", "USD")},
                                {"includes_rig", nullable("boolean")}}}},
        .annotations = kReadOnly,
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        auto built = build_lowpoly_estimate(arguments, lowpoly_image_policy(lowpoly->config));
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(std::move(*problem));
        }
        const auto& request = std::get<LowPolyStartRequest>(built);
        auto reply = lowpoly->upstream->post("/lowpoly/estimate", estimate_body(request), context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Pricing the Low-Poly job");
        std::string text = std::string("A Low-Poly ") + operation_name(request.operation);
        if (auto size = number_in(reply.body, "size")) {
            text += " at size " + std::to_string(static_cast<long long>(*size));
        }
        if (auto source = text_in(reply.body, "size_source")) text += " (" + *source + ")";
        auto cost = number_in(reply.body, "cost");
        text += cost ? " costs " + format_usd(*cost) : std::string(": the API named no cost");
        if (flag_in(reply.body, "includes_rig").value_or(false)) text += ", rig included";
        auto result = protocol::ToolResult::text(text + ". Nothing was charged.");
        result.structured_content =
            without_nulls(reply.body.is_object() ? reply.body : Json::object());
        return result;
    };
    return {definition, handler};
}

}  // namespace rdmcp::tools
