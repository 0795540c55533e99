#include "tools/lowpoly_tools.h"

#include <algorithm>

#include "common/text.h"
#include "tools/api_fields.h"

namespace rdmcp::tools {

using protocol::Json;

ImageInputPolicy lowpoly_image_policy(const ToolsConfig& config) {
    return {.allow_local_files = config.local_files_allowed};
}

Json nullable(const char* type, const char* description) {
    Json schema = {{"type", type}};
    if (description) schema["description"] = description;
    return schema;
}

Json without_nulls(Json value) {
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end();) {
            if (it->is_null()) {
                it = value.erase(it);
            } else {
                *it = without_nulls(std::move(*it));
                ++it;
            }
        }
    } else if (value.is_array()) {
        for (auto& item : value) item = without_nulls(std::move(item));
    }
    return value;
}

Json lowpoly_model_schema() {
    const Json version = {
        {"type", "object"},
        {"properties",
         {{"number", {{"type", "integer"}}},
          {"kind", nullable("string")},
          {"render_url", nullable("string", "A rendered view (signed link, expires).")},
          {"turntable_url", nullable("string")},
          {"scene_url", nullable("string")},
          {"animations", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"rigged", nullable("boolean")},
          {"stats", nullable("object", "e.g. {size_px: [x, y, z], triangles}")},
          {"prompt", nullable("string")},
          {"created_at", nullable("string")}}}};
    return {{"type", "object"},
            {"properties",
             {{"asset_id", {{"type", "string"}}},
              {"status", nullable("string")},
              {"style", nullable("string")},
              {"size", nullable("integer")},
              {"size_source", nullable("string")},
              {"mode", nullable("string")},
              {"prompt", nullable("string")},
              {"versions", {{"type", "array"}, {"items", version}}},
              {"active_task_id", nullable("string", "The job running on it, if any.")},
              {"inference_id", nullable("string")},
              {"error", nullable("object")},
              {"created_at", nullable("string")},
              {"updated_at", nullable("string")}}}};
}

Json lowpoly_model_output_schema() {
    return {{"type", "object"},
            {"properties", {{"model", lowpoly_model_schema()}}},
            {"required", {"model"}}};
}

std::string describe_model(const Json& model) {
    std::string text = "Model " + text_in(model, "asset_id").value_or("(no id)");
    std::string details;
    for (const char* name : {"status", "style"}) {
        if (auto value = text_in(model, name)) details += (details.empty() ? "" : ", ") + *value;
    }
    if (auto size = number_in(model, "size")) {
        details +=
            (details.empty() ? "" : ", ") + std::to_string(static_cast<long long>(*size)) + " px";
    }
    if (!details.empty()) text += " (" + details + ")";
    if (auto prompt = text_in(model, "prompt")) text += " " + quote_prefix(*prompt, 80);
    const Json* versions = member_in(model, "versions");
    if (versions && versions->is_array() && !versions->empty()) {
        const Json& latest = versions->back();
        text += ": " + std::to_string(versions->size()) + " version" +
                (versions->size() == 1 ? "" : "s");
        if (auto number = number_in(latest, "number")) {
            text += "; latest v" + std::to_string(static_cast<long long>(*number));
        }
        if (auto kind = text_in(latest, "kind")) text += " (" + *kind + ")";
        const Json* animations = member_in(latest, "animations");
        if (animations && animations->is_array() && !animations->empty()) {
            std::string names;
            for (const auto& name : *animations) {
                if (name.is_string())
                    names += (names.empty() ? "" : ", ") + name.get<std::string>();
            }
            text += ", animations: " + names;
        }
        if (flag_in(latest, "rigged").value_or(false)) text += ", rigged";
    }
    if (auto task = text_in(model, "active_task_id")) text += ". A job is running on it: " + *task;
    return text + ".";
}

protocol::ToolResult model_result(const std::string& headline, const Json& model) {
    auto result = protocol::ToolResult::text((headline.empty() ? "" : headline + " ") +
                                             describe_model(model));
    result.structured_content =
        without_nulls(Json{{"model", model.is_object() ? model : Json::object()}});
    return result;
}

double documented_lowpoly_price(const LowPolyStartRequest& request) {
    const bool lite = request.style && request.style->ends_with("_lite");
    if (lite) return request.operation == LowPolyOperation::Generate ? 0.10 : 0.08;
    static constexpr double kPrices[][5] = {
        {0.25, 0.50, 0.85, 1.20, 3.00},  // generate
        {0.20, 0.35, 0.65, 0.90, 1.50},  // revise
        {0.15, 0.25, 0.35, 0.50, 1.00},  // animate
        {0.10, 0.10, 0.15, 0.20, 0.25},  // split
        {0.10, 0.10, 0.15, 0.20, 0.25},  // rerig
    };
    const auto& row = kPrices[static_cast<int>(request.operation)];
    if (!request.size) return row[4];
    const auto* at = std::find(std::begin(kLowPolySizes), std::end(kLowPolySizes), *request.size);
    return row[at - std::begin(kLowPolySizes)];
}

}  // namespace rdmcp::tools
