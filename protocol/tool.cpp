#include "protocol/tool.h"

#include <stdexcept>

namespace rdmcp::protocol {

Json ToolDefinition::to_json() const {
    Json tool = {{"name", name},
                 {"title", title},
                 {"description", description},
                 {"inputSchema", input_schema}};
    // Only the hints that differ from the spec's defaults (readOnly false, destructive true,
    // idempotent false, openWorld true): every agent pays for each byte of tools/list, and a
    // client reads an absent hint as its default. The title is the tool's own `title`.
    Json hints = Json::object();
    if (annotations.read_only) hints["readOnlyHint"] = true;
    if (!annotations.read_only && !annotations.destructive) hints["destructiveHint"] = false;
    if (!annotations.read_only && annotations.idempotent) hints["idempotentHint"] = true;
    if (!annotations.open_world) hints["openWorldHint"] = false;
    if (!hints.empty()) tool["annotations"] = std::move(hints);
    if (output_schema) tool["outputSchema"] = *output_schema;
    return tool;
}

ToolResult ToolResult::error(std::string message) {
    ToolResult result;
    result.is_error = true;
    result.add_text(std::move(message));
    return result;
}

ToolResult ToolResult::text(std::string text) {
    ToolResult result;
    result.add_text(std::move(text));
    return result;
}

ToolResult& ToolResult::add_text(std::string text) {
    content.push_back({{"type", "text"}, {"text", std::move(text)}});
    return *this;
}

Json ToolResult::to_json() const {
    if (task) {
        Json created = task->to_json();
        created["resultType"] = "task";
        return created;
    }
    if (input_required) {
        Json asking = {{"resultType", "input_required"}};
        if (!input_required->input_requests.empty())
            asking["inputRequests"] = input_required->input_requests;
        if (!input_required->request_state.empty())
            asking["requestState"] = input_required->request_state;
        return asking;
    }
    Json result = {{"content", content}};
    if (structured_content) result["structuredContent"] = *structured_content;
    if (is_error) result["isError"] = true;
    return result;
}

void ToolRegistry::add(Tool tool) {
    std::string name = tool.definition.name;
    add(std::move(name), [made = std::make_shared<Tool>(std::move(tool))] { return *made; });
}

void ToolRegistry::add(std::string name, Maker make) {
    if (state_->sealed) throw std::logic_error("tool added after the registry was read: " + name);
    for (const auto& known : state_->names) {
        if (known == name) throw std::logic_error("tool registered twice: " + name);
    }
    state_->names.push_back(std::move(name));
    state_->makers.push_back(std::move(make));
}

const ToolRegistry::State& ToolRegistry::built() const {
    State& state = *state_;
    std::call_once(state.made, [&state] {
        state.sealed = true;
        std::vector<Tool> tools;
        Json definitions = Json::array();
        for (std::size_t i = 0; i < state.makers.size(); ++i) {
            Tool tool = state.makers[i]();
            if (tool.definition.name != state.names[i]) {
                throw std::logic_error("tool added as " + state.names[i] + " was made as " +
                                       tool.definition.name);
            }
            definitions.push_back(tool.definition.to_json());
            tools.push_back(std::move(tool));
        }
        state.tools = std::move(tools);
        state.definitions = std::move(definitions);
        state.makers.clear();  // what they captured is now held by the tools
    });
    return state;
}

const Tool* ToolRegistry::find(std::string_view name) const {
    for (const auto& tool : tools()) {
        if (tool.definition.name == name) return &tool;
    }
    return nullptr;
}

}  // namespace rdmcp::protocol
