// estimate_inference_cost: the free check_cost dry run of POST /v1/inferences (authoritative),
// or the documented price formulas when there is no key or no API to ask (labelled as such).

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/inference_request.h"
#include "tools/price_quotes.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/spend_limits.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition estimate_inference_cost_definition(const ToolsConfig& config) {
    // The arguments that set the price; the rest of create_inference's are accepted and
    // checked as they are.
    Json schema = inference_core_schema(config.local_files_allowed);
    return {
        .name = "estimate_inference_cost",
        .title = "Estimate a generation's cost",
        .description =
            "Free: what create_inference would charge for the same arguments (pass them all): the "
            "API's dry run, or without it the documented formula.",
        .input_schema = std::move(schema),
        .checked_schema = inference_input_schema(config.local_files_allowed),
        .output_schema =
            Json{{"type", "object"},
                 {"properties",
                  {{"balance_cost", {{"type", "number"}, {"description", "USD for this request"}}},
                   {"remaining_balance", {{"type", "number"}, {"description", "USD left now"}}},
                   {"source",
                    {{"type", "string"}, {"enum", {"api_check_cost", "offline_estimate"}}}},
                   {"formula", {{"type", "string"}}},
                   {"prompt_style", {{"type", "string"}}},
                   {"width", {{"type", "integer"}}},
                   {"height", {{"type", "integer"}}},
                   {"num_images", {{"type", "integer"}}}}},
                 {"required", {"balance_cost", "source", "prompt_style"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

Json base_structure(const InferenceRequest& request) {
    return {{"prompt_style", request.prompt_style},
            {"width", request.width},
            {"height", request.height},
            {"num_images", request.num_images}};
}

protocol::ToolResult estimate_inference(const InferenceRequest& request,
                                        const UpstreamClient& upstream,
                                        protocol::RequestContext& context) {
    auto priced = price_inference(request, upstream, context);
    if (auto* error = std::get_if<protocol::ToolResult>(&priced)) return std::move(*error);
    const auto& price = std::get<InferencePrice>(priced);
    Json structured = base_structure(request);
    structured["balance_cost"] = price.usd;
    std::string text;
    if (price.from_api) {
        structured["source"] = "api_check_cost";
        text = "Cost: " + format_usd(price.usd) + " for " + describe_generation(request) +
               " (the API's check_cost dry run; nothing was charged).";
        if (price.remaining_balance) {
            structured["remaining_balance"] = *price.remaining_balance;
            text += " Current balance: " + format_usd(*price.remaining_balance) + ".";
        }
    } else {
        structured["source"] = "offline_estimate";
        structured["formula"] = price.formula;
        text = "Offline estimate: " + format_usd(price.usd) + " for " +
               describe_generation(request) + " (documented formula " + price.formula + "; " +
               price.why_offline + " The API's check_cost is authoritative).";
    }
    auto result = protocol::ToolResult::text(std::move(text));
    result.structured_content = std::move(structured);
    return result;
}

}  // namespace

protocol::Tool make_estimate_inference_cost_tool(UpstreamPtr upstream, ToolsConfig config,
                                                 StylesPtr styles) {
    auto handler = [upstream, config, styles](const Json& arguments,
                                              protocol::RequestContext& context) {
        // The caller's live limits when cached; never a selector call before the estimate.
        const auto live = cached_styles(styles, context.api_key);
        auto built = build_inference_request(
            arguments, {.allow_local_files = config.local_files_allowed}, live.get());
        if (auto* problem = std::get_if<std::string>(&built)) {
            return protocol::ToolResult::error(as_sentence(*problem));
        }
        return estimate_inference(std::get<InferenceRequest>(built), *upstream, context);
    };
    return {estimate_inference_cost_definition(config), handler};
}

}  // namespace rdmcp::tools
