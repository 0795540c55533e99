// get_balance: GET /v1/inferences/credits — the account's prepaid balance in USD.
#include "tools/agent_errors.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition definition() {
    return {
        .name = "get_balance",
        .title = "Check RetroDiffusion balance",
        .description =
            "Returns the remaining prepaid balance (USD) of the RetroDiffusion account behind the "
            "caller's API key. Free. Check it before a large batch, or after a timeout to see "
            "whether a generation was charged.",
        .input_schema = {{"type", "object"},
                         {"properties", Json::object()},
                         {"additionalProperties", false}},
        .output_schema = Json{{"type", "object"},
                              {"properties",
                               {{"balance", {{"type", "number"},
                                             {"description", "Remaining balance in USD"}}},
                                {"currency", {{"type", "string"}, {"const", "USD"}}}}},
                              {"required", {"balance", "currency"}}},
        .annotations = {.read_only = true, .destructive = false, .idempotent = true,
                        .open_world = true},
    };
}

}  // namespace

protocol::Tool make_get_balance_tool(UpstreamPtr upstream) {
    auto handler = [upstream](const Json&, protocol::RequestContext& context) {
        auto reply = upstream->get("/v1/inferences/credits", context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Checking the balance");
        auto balance = reply.body.find("balance");
        if (balance == reply.body.end() || !balance->is_number()) {
            return protocol::ToolResult::error(
                "Checking the balance failed: the API's answer has no numeric \"balance\" field. "
                "Retry later; if it persists, the API may have changed.");
        }
        const double value = balance->get<double>();
        auto result = protocol::ToolResult::text("Remaining RetroDiffusion balance: " +
                                                 format_usd(value) + " USD.");
        result.structured_content = Json{{"balance", value}, {"currency", "USD"}};
        return result;
    };
    return {definition(), handler};
}

}  // namespace rdmcp::tools
