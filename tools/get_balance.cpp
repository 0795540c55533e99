// get_balance: GET /v1/inferences/credits — the account's prepaid balance in USD, and its
// credits (the API answers both: {"credits": 0, "balance": 100.75}).
#include <cmath>

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/spend_guard.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition get_balance_definition() {
    return {
        .name = "get_balance",
        .title = "Check RetroDiffusion balance",
        .description = "The account's balance (USD) and this server's spend limits. Free.",
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
                      "reports them (absent when it sends none)"}}},
                   {"limits",
                    {{"type", "object"},
                     {"description",
                      "The spend limits of this server (absent when it sets none): USD "
                      "amounts; budget_spent_usd and budget_left_usd for this key"},
                     {"properties",
                      {{"confirm_above_usd", {{"type", "number"}}},
                       {"max_cost_per_call_usd", {{"type", "number"}}},
                       {"budget_usd", {{"type", "number"}}},
                       {"budget_window_seconds", {{"type", "integer"}}},
                       {"budget_spent_usd", {{"type", "number"}}},
                       {"budget_reserved_usd", {{"type", "number"}}},
                       {"budget_left_usd", {{"type", "number"}}}}}}}}},
                 {"required", {"balance", "currency"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

// The limits this server sets on spending, and this key's budget so far.
std::optional<Json> spend_limits(const SpendGuard& guard, const std::string& api_key,
                                 std::string& text) {
    const auto& limits = guard.limits();
    if (!limits.any()) return std::nullopt;
    Json structured = Json::object();
    if (limits.confirm_above) {
        structured["confirm_above_usd"] = *limits.confirm_above;
        text += " Calls above " + format_usd(*limits.confirm_above) + " need your confirmation.";
    }
    if (limits.max_cost_per_call) {
        structured["max_cost_per_call_usd"] = *limits.max_cost_per_call;
        text += " Calls above " + format_usd(*limits.max_cost_per_call) + " are refused.";
    }
    if (auto view = guard.budget_for(api_key)) {
        structured["budget_usd"] = view->budget;
        structured["budget_window_seconds"] = view->window.count();
        // To a tenth of a cent, as the API prices (sums of doubles are not).
        auto mills = [](double usd) { return std::round(usd * 1000.0) / 1000.0; };
        structured["budget_spent_usd"] = mills(view->spent);
        structured["budget_reserved_usd"] = mills(view->reserved);
        structured["budget_left_usd"] = mills(view->left());
        text += " Spent through this server: " + format_usd(view->spent) + ". " +
                guard.budget_line(api_key);
    }
    return structured;
}

}  // namespace

protocol::Tool make_get_balance_tool(UpstreamPtr upstream, SpendGuardPtr spend) {
    auto handler = [upstream, spend](const Json&, protocol::RequestContext& context) {
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
        text += ".";
        if (spend) {
            if (auto limits = spend_limits(*spend, context.api_key, text)) {
                structured["limits"] = std::move(*limits);
            }
        }
        auto result = protocol::ToolResult::text(std::move(text));
        result.structured_content = std::move(structured);
        return result;
    };
    return {get_balance_definition(), handler};
}

}  // namespace rdmcp::tools
