// get_service_status: GET /status, RetroDiffusion's own health per model family (no key
// needed), so an agent can check before a batch instead of paying into an outage.
#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition get_service_status_definition() {
    return {
        .name = "get_service_status",
        .title = "Check RetroDiffusion service status",
        .description = "RetroDiffusion's health per model family. Free.",
        .input_schema = {{"type", "object"},
                         {"properties", Json::object()},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"services",
                    {{"type", "array"},
                     {"items",
                      {{"type", "object"},
                       {"properties",
                        {{"name", {{"type", "string"}}},
                         {"status",
                          {{"type", "string"}, {"description", "ok, degraded, down or unknown"}}}}},
                       {"required", {"name", "status"}}}}}},
                   {"all_ok", {{"type", "boolean"}}},
                   {"updated_at", {{"type", "string"}, {"description", "ISO 8601 (UTC)"}}}}},
                 {"required", {"services", "all_ok"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

}  // namespace

protocol::Tool make_get_service_status_tool(UpstreamPtr upstream) {
    auto handler = [upstream](const Json&, protocol::RequestContext& context) {
        auto reply = upstream->get_public("/status", context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Checking the service status");
        // {"status": {"<service>": "ok" | "degraded" | "down" | "unknown"}, "updated_at": ...}
        Json services = Json::array();
        bool all_ok = true;
        std::string lines;
        if (const Json* status = member_in(reply.body, "status"); status && status->is_object()) {
            for (const auto& [name, value] : status->items()) {
                const std::string state = value.is_string() ? value.get<std::string>() : "unknown";
                all_ok = all_ok && state == "ok";
                services.push_back({{"name", name}, {"status", state}});
                lines += "\n- " + name + ": " + state;
            }
        }
        if (services.empty()) all_ok = false;
        const auto updated_at = timestamp_in(reply.body, "updated_at");
        std::string text = services.empty() ? std::string("The API reported no services.")
                           : all_ok         ? "Every RetroDiffusion service is ok"
                                            : "Not every RetroDiffusion service is ok";
        if (!services.empty()) text += updated_at ? " (as of " + *updated_at + "):" : ":";
        auto result = protocol::ToolResult::text(text + lines);
        Json structured = {{"services", std::move(services)}, {"all_ok", all_ok}};
        if (updated_at) structured["updated_at"] = *updated_at;
        result.structured_content = std::move(structured);
        return result;
    };
    return {get_service_status_definition(), handler};
}

}  // namespace rdmcp::tools
