// get_lowpoly_model, list_lowpoly_models and delete_lowpoly_animation: the models themselves
// (GET /lowpoly/assets[/{id}], DELETE .../versions/{n}/animations/{name}). All free.
#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/lowpoly_tools.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

namespace {

constexpr protocol::ToolAnnotations kReadOnly{
    .read_only = true, .destructive = false, .idempotent = true, .open_world = true};

Json asset_id_schema() { return {{"type", "string"}}; }

}  // namespace

protocol::Tool make_get_lowpoly_model_tool(LowPolyPtr lowpoly) {
    protocol::ToolDefinition definition{
        .name = "get_lowpoly_model",
        .title = "Read a Low-Poly 3D model",
        .description = "One Low-Poly model: versions, renders, animations, rig, running job. Free.",
        .input_schema = {{"type", "object"},
                         {"properties", {{"asset_id", asset_id_schema()}}},
                         {"required", {"asset_id"}}},
        .output_schema = lowpoly_model_output_schema(),
        .annotations = kReadOnly,
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        const std::string asset_id = text_in(arguments, "asset_id").value_or("");
        if (auto problem = check_lowpoly_id("asset_id", asset_id)) {
            return rejected_before_sending(*problem);
        }
        auto reply = lowpoly->upstream->get("/lowpoly/assets/" + asset_id, context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Reading the Low-Poly model");
        return model_result("", reply.body);
    };
    return {definition, handler};
}

protocol::Tool make_list_lowpoly_models_tool(LowPolyPtr lowpoly) {
    protocol::ToolDefinition definition{
        .name = "list_lowpoly_models",
        .title = "List your Low-Poly 3D models",
        .description = "This key's Low-Poly models, newest first. Free.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}},
                           {"before_id",
                            {{"type", "string"},
                             {"description", "The last page's next_before_id."}}},
                           {"inference_id", {{"type", "string"}}}}}},
        .output_schema = Json{{"type", "object"},
                              {"properties",
                               {{"items", {{"type", "array"}, {"items", lowpoly_model_schema()}}},
                                {"next_before_id", nullable("string")}}},
                              {"required", {"items"}}},
        .annotations = kReadOnly,
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        auto built = build_lowpoly_list_query(arguments);
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(std::move(*problem));
        }
        auto reply = lowpoly->upstream->get(std::get<LowPolyListQuery>(built).path, context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Listing the Low-Poly models");
        const Json* items = member_in(reply.body, "items");
        Json structured = {{"items", items && items->is_array() ? *items : Json::array()}};
        if (const Json* next = member_in(reply.body, "next_before_id")) {
            structured["next_before_id"] = *next;
        }
        std::string text = std::to_string(structured["items"].size()) + " Low-Poly model" +
                           (structured["items"].size() == 1 ? "" : "s");
        text += structured["items"].empty() ? "." : ":";
        for (const auto& model : structured["items"]) text += "\n- " + describe_model(model);
        if (auto next = text_in(reply.body, "next_before_id")) {
            text += "\nMore: call again with before_id " + *next + ".";
        }
        auto result = ToolResult::text(std::move(text));
        result.structured_content = without_nulls(std::move(structured));
        return result;
    };
    return {definition, handler};
}

protocol::Tool make_delete_lowpoly_animation_tool(LowPolyPtr lowpoly) {
    protocol::ToolDefinition definition{
        .name = "delete_lowpoly_animation",
        .title = "Delete an animation of a Low-Poly 3D model",
        .description = "Deletes one animation of a model version, for good. Free.",
        .input_schema =
            {{"type", "object"},
             {"properties",
              {{"asset_id", asset_id_schema()},
               {"version", {{"type", "integer"}, {"minimum", 1}}},
               {"animation",
                {{"type", "string"}, {"minLength", 1}, {"maxLength", kMaxLowPolyAnimationName}}}}},
             {"required", {"asset_id", "version", "animation"}}},
        .output_schema = lowpoly_model_output_schema(),
        .annotations = {.read_only = false,
                        .destructive = true,
                        .idempotent = true,
                        .open_world = true},
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        auto built = build_lowpoly_animation_ref(arguments);
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(std::move(*problem));
        }
        const auto& ref = std::get<LowPolyAnimationRef>(built);
        auto reply = lowpoly->upstream->del(lowpoly_animation_path(ref), context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Deleting the animation");
        return model_result("Deleted animation \"" + ref.animation + "\" of version " +
                                std::to_string(ref.version) + ".",
                            reply.body);
    };
    return {definition, handler};
}

}  // namespace rdmcp::tools
