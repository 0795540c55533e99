#pragma once
// What a paid call will cost, learnt before it is paid and without paying: the API's free
// check_cost dry run for generations, the free estimate endpoint for edit tools, and the
// documented prices when those cannot be asked (no key, the API unreachable).
#include <optional>
#include <string>
#include <variant>

#include "protocol/request_context.h"
#include "protocol/tool.h"
#include "tools/edit_tool_request.h"
#include "tools/inference_request.h"
#include "tools/spend_guard.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

struct InferencePrice {
    double usd = 0;
    std::optional<double> remaining_balance;  // what the API said is left (check_cost only)
    bool from_api = false;                    // check_cost; else the documented formula
    std::string formula;                      // the documented formula, when used
    std::string why_offline;                  // why check_cost could not be asked
};

// The check_cost dry run (free, never an idempotency key), or the documented formula when the
// API cannot be asked; or the tool error when neither can price it.
std::variant<InferencePrice, protocol::ToolResult> price_inference(
    const InferenceRequest& request, const UpstreamClient& upstream,
    protocol::RequestContext& context);

// For the spend guard.
PriceQuoter inference_quoter(const InferenceRequest& request, const UpstreamClient& upstream,
                             protocol::RequestContext& context);

// POST /edit/tools/{id}/estimate (free; asked once more when the failure can pass).
UpstreamResult ask_edit_estimate(const EditToolRequest& request, const UpstreamClient& upstream,
                                 protocol::RequestContext& context);

// The estimate's price, or the catalog's when the estimate cannot be had.
PriceQuoter edit_tool_quoter(const EditToolRequest& request, const EditToolDefinition& tool,
                             const UpstreamClient& upstream, protocol::RequestContext& context);

// "4 images with rd_pro__default at 256x256"
std::string describe_generation(const InferenceRequest& request);

}  // namespace rdmcp::tools
