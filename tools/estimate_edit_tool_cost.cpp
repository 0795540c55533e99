// estimate_edit_tool_cost: POST /edit/tools/{tool_id}/estimate (free): the price and expected
// time of exactly the run run_edit_tool would send, checked by the same rules first.
#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/edit_runs.h"
#include "tools/price_quotes.h"
#include "tools/project_save.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/spend_limits.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition estimate_edit_tool_cost_definition(const ToolsConfig& config) {
    // The fields that pick the price; the rest of run_edit_tool's arguments are accepted and
    // checked as they are (no additionalProperties bound), and listing them twice would cost
    // every client's context another few KB.
    const Json full = edit_tool_input_schema(config);
    Json schema = {{"type", "object"},
                   {"properties",
                    {{"tool_id", full["properties"]["tool_id"]},
                     {"input_image", full["properties"]["input_image"]}}},
                   {"required", full["required"]}};
    return {
        .name = "estimate_edit_tool_cost",
        .title = "Price an edit tool run (free)",
        .description =
            "Free: checks a run_edit_tool call (same arguments) and says what it would cost and "
            "take.",
        .input_schema = std::move(schema),
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"tool_id", {{"type", "string"}}},
                   {"balance_cost", {{"type", "number"}, {"description", "USD a run costs"}}},
                   {"credit_cost", {{"type", "integer"}}},
                   {"estimate_seconds", {{"type", "number"}}},
                   {"is_free", {{"type", "boolean"}}},
                   {"requires_minimum_balance", {{"type", "boolean"}}}}},
                 {"required", {"tool_id"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

}  // namespace

protocol::Tool make_estimate_edit_tool_cost_tool(UpstreamPtr upstream, EditCatalogPtr catalog,
                                                 ToolsConfig config) {
    auto handler = [upstream, catalog, config](const Json& arguments,
                                               protocol::RequestContext& context) {
        auto prepared = prepare_edit(arguments, *catalog, context, config.local_files_allowed);
        if (auto* refusal = std::get_if<protocol::ToolResult>(&prepared)) return *refusal;
        const auto& [tool_entry, request] = std::get<PreparedEdit>(prepared);
        const auto* tool = &tool_entry;
        const std::string& tool_id = request.tool_id;
        auto reply = ask_edit_estimate(request, *upstream, context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Pricing " + tool_id);

        const Json& body = reply.body;
        Json structured = {{"tool_id", tool_id}};
        // Each member under its newer name, else its deprecated camelCase twin.
        auto cost = number_in(body, "balance_cost");
        if (!cost) cost = number_in(body, "balanceCost");
        auto credits = number_in(body, "credit_cost");
        if (!credits) credits = number_in(body, "creditCost");
        auto seconds = number_in(body, "estimate_seconds");
        if (!seconds) seconds = number_in(body, "estimateSeconds");
        std::string text = "A " + tool_id + " run on this " + std::to_string(request.input.width) +
                           "x" + std::to_string(request.input.height) + " image costs ";
        text += cost ? (*cost == 0 ? std::string("nothing") : format_usd(*cost))
                     : std::string("an amount the API did not state");
        if (cost) structured["balance_cost"] = *cost;
        if (credits) {
            structured["credit_cost"] = static_cast<long long>(*credits);
            const auto count = static_cast<long long>(*credits);
            text += " (" + std::to_string(count) + (count == 1 ? " credit)" : " credits)");
        }
        if (seconds) {
            structured["estimate_seconds"] = *seconds;
            text +=
                " and takes about " + std::to_string(static_cast<long long>(*seconds + 0.5)) + " s";
        }
        text += ".";
        if (tool->is_free) structured["is_free"] = *tool->is_free;
        if (tool->requires_minimum_balance) {
            structured["requires_minimum_balance"] = *tool->requires_minimum_balance;
            if (*tool->requires_minimum_balance) {
                text += " Although free, it needs some balance on the account.";
            }
        }
        for (const auto& warning : request.warnings) text += " Note: " + warning;
        auto result = protocol::ToolResult::text(text);
        result.structured_content = std::move(structured);
        return result;
    };
    return {estimate_edit_tool_cost_definition(config), handler};
}

}  // namespace rdmcp::tools
