// get_balance: GET /v1/inferences/credits — the account's prepaid balance in USD, and its
// credits (the API answers both: {"credits": 0, "balance": 100.75}).
#include "tools/agent_errors.h"
#include "tools/api_answers.h"
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
            "Returns the remaining prepaid balance (USD) and the credits of the RetroDiffusion "
            "account behind the caller's API key. Free. Check it before a large batch, or after a "
            "timeout to see "
            "whether a generation was charged.",
        .input_schema = {{"type", "object"},
                         {"properties", Json::object()},
                         {"additionalProperties", false}},
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"balance", {{"type", "number"}, {"description", "Remaining balance in USD"}}},
                   {"currency", {{"type", "string"}, {"const", "USD"}}},
                   {"credits",
                    {{"type", "number"},
                     {"description",
                      "The account's credits, as the API "
                      "reports them (absent when it sends none)"}}}}},
                 {"required", {"balance", "currency"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

}  // namespace

protocol::Tool make_get_balance_tool(UpstreamPtr upstream) {
    auto handler = [upstream](const Json&, protocol::RequestContext& context) {
        auto reply = upstream->get("/inferences/credits", context);
        if (!reply.ok()) return tool_error_for(*reply.error, "Checking the balance");
        const auto answer = reply.body.get<BalanceAnswer>();
        if (!answer.balance) {
            return protocol::ToolResult::error(
                "Checking the balance failed: the API's answer has no numeric \"balance\" field. "
                "Retry later; if it persists, the API may have changed.");
        }
        Json structured = {{"balance", *answer.balance}, {"currency", "USD"}};
        std::string text =
            "Remaining RetroDiffusion balance: " + format_usd(*answer.balance) + " USD";
        // Null or missing when the account has none to report: left out, never a made-up 0.
        if (answer.credits) {
            structured["credits"] = number_json(*answer.credits);
            text += "; credits: " + structured["credits"].dump();
        }
        auto result = protocol::ToolResult::text(text + ".");
        result.structured_content = std::move(structured);
        return result;
    };
    return {definition(), handler};
}

}  // namespace rdmcp::tools
