// list_edit_tools: GET /edit/tools (public, cached a minute): every enabled canvas edit tool
// with its price, limits and fields, a line each; the documented set when the API cannot be
// reached, and said so.
#include "tools/api_fields.h"
#include "tools/edit_tool_catalog.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition list_edit_tools_definition() {
    const Json field_schema = {{"type", "object"},
                               {"properties",
                                {{"name", {{"type", "string"}}},
                                 {"type", {{"type", "string"}}},
                                 {"required", {{"type", "boolean"}}},
                                 {"default", {{"description", "a string, number or boolean"}}},
                                 {"min", {{"type", "number"}}},
                                 {"max", {{"type", "number"}}}}},
                               {"required", {"name", "required"}}};
    const Json tool_schema = {
        {"type", "object"},
        {"properties",
         {{"id", {{"type", "string"}}},
          {"name", {{"type", "string"}}},
          {"description", {{"type", "string"}}},
          {"balance_cost", {{"type", "number"}, {"description", "USD per run"}}},
          {"credit_cost", {{"type", "integer"}}},
          {"is_free", {{"type", "boolean"}}},
          {"requires_minimum_balance", {{"type", "boolean"}}},
          {"max_input_size", {{"type", "integer"}, {"description", "longest input side, px"}}},
          {"fields", {{"type", "array"}, {"items", field_schema}}}}},
        {"required", {"id", "fields"}}};
    return {
        .name = "list_edit_tools",
        .title = "List the canvas edit tools",
        .description =
            "The canvas tools of run_edit_tool with their prices, largest input and fields. Free; "
            "no key needed.",
        .input_schema =
            {{"type", "object"},
             {"properties",
              {{"tool_id",
                {{"type", "string"}, {"minLength", 1}, {"description", "Only this tool."}}}}},
             {"additionalProperties", false}},
        .output_schema = Json{{"type", "object"},
                              {"properties",
                               {{"tools", {{"type", "array"}, {"items", tool_schema}}},
                                {"source",
                                 {{"type", "string"},
                                  {"enum", {"api", "documented"}},
                                  {"description",
                                   "api: the live catalog; documented: the catalog could not be "
                                   "read, so the tools the documents describe"}}},
                                {"note", {{"type", "string"}}}}},
                              {"required", {"tools", "source"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

// "color_count (integer, 2-256)", "prompt*": what an agent needs to fill the field in.
std::string field_text(const EditToolField& field) {
    std::string text = field.id + (field.required ? "*" : "");
    std::string facts = field.type;
    if (field.min && field.max) {
        facts +=
            (facts.empty() ? "" : ", ") + limit_text(*field.min) + "-" + limit_text(*field.max);
    } else if (field.min) {
        facts += (facts.empty() ? ">=" : ", >=") + limit_text(*field.min);
    } else if (field.max) {
        facts += (facts.empty() ? "<=" : ", <=") + limit_text(*field.max);
    }
    if (field.default_value)
        facts += (facts.empty() ? "" : ", ") + ("default " + field.default_value->dump());
    return facts.empty() ? text : text + " (" + facts + ")";
}

Json field_json(const EditToolField& field) {
    Json out = {{"name", field.id}, {"required", field.required}};
    if (!field.type.empty()) out["type"] = field.type;
    if (field.default_value) out["default"] = *field.default_value;
    if (field.min) out["min"] = *field.min;
    if (field.max) out["max"] = *field.max;
    return out;
}

std::string price_text(const EditToolDefinition& tool) {
    if (tool.is_free.value_or(tool.balance_cost == 0.0)) {
        return tool.requires_minimum_balance.value_or(false) ? "free, needs some balance" : "free";
    }
    return tool.balance_cost ? format_usd(*tool.balance_cost) : "price unknown";
}

}  // namespace

protocol::Tool make_list_edit_tools_tool(EditCatalogPtr catalog) {
    auto handler = [catalog](const Json& arguments, protocol::RequestContext& context) {
        const auto view = catalog->get(context);
        const auto only = text_in(arguments, "tool_id").value_or("");
        if (!only.empty() && !view.find(only)) {
            return protocol::ToolResult::error(unknown_edit_tool_message(only, view));
        }
        Json tools = Json::array();
        std::string lines;
        for (const auto& tool : *view.tools) {
            if (!only.empty() && tool.id != only) continue;
            Json fields = Json::array();
            std::string field_list;
            // Required fields first; input_image and custom_id go without saying.
            for (bool required : {true, false}) {
                for (const auto& field : tool.api_fields) {
                    if (field.required != required) continue;
                    fields.push_back(field_json(field));
                    if (field.id == "input_image" || field.id == "custom_id") continue;
                    field_list += (field_list.empty() ? "" : ", ") + field_text(field);
                }
            }
            Json entry = {{"id", tool.id}, {"fields", std::move(fields)}};
            if (!tool.name.empty()) entry["name"] = tool.name;
            if (!tool.description.empty()) entry["description"] = tool.description;
            if (tool.balance_cost) entry["balance_cost"] = *tool.balance_cost;
            if (tool.credit_cost) entry["credit_cost"] = *tool.credit_cost;
            if (tool.is_free) entry["is_free"] = *tool.is_free;
            if (tool.requires_minimum_balance) {
                entry["requires_minimum_balance"] = *tool.requires_minimum_balance;
            }
            if (tool.max_input_size) entry["max_input_size"] = *tool.max_input_size;
            tools.push_back(std::move(entry));
            lines += "\n- " + tool.id + " (" + price_text(tool) + "): " + tool.description;
            if (!field_list.empty()) lines += " Fields: " + field_list + ".";
            if (tool.max_input_size) {
                lines += " Input up to " + std::to_string(*tool.max_input_size) + " px.";
            }
        }
        std::string text = view.live ? "RetroDiffusion's edit tools (run them with run_edit_tool; "
                                       "* marks a required field):"
                                     : "The edit tools the documents describe (the API's catalog "
                                       "could not be read: " +
                                           view.problem + "; * marks a required field):";
        auto result = protocol::ToolResult::text(text + lines);
        Json structured = {{"tools", std::move(tools)},
                           {"source", view.live ? "api" : "documented"}};
        if (!view.live) structured["note"] = view.problem;
        result.structured_content = std::move(structured);
        return result;
    };
    return {list_edit_tools_definition(), handler};
}

}  // namespace rdmcp::tools
