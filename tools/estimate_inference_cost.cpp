// estimate_inference_cost: the free check_cost dry run of POST /v1/inferences (authoritative),
// or the documented price formulas when there is no key or no API to ask (labelled as such).

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/cost_model.h"
#include "tools/inference_request.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

protocol::ToolDefinition definition(const ToolsConfig& config) {
    Json schema = inference_input_schema(config.local_files_allowed);
    // Always the dry run: the controls of the generation tools mean nothing here.
    for (const char* moot : {kOutputDirArgument, "check_cost", "async"})
        schema["properties"].erase(moot);
    return {
        .name = "estimate_inference_cost",
        .title = "Estimate a generation's cost",
        .description =
            "Returns what create_inference would charge for the same arguments, without "
            "generating or charging anything (the API's free check_cost dry run). Without an API "
            "key, or when the API cannot be reached, it falls back to the documented price "
            "formulas and says so (source: offline_estimate). Call it before generating.",
        .input_schema = std::move(schema),
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

std::string what(const InferenceRequest& request) {
    return std::to_string(request.num_images) + " x " + request.prompt_style + " at " +
           std::to_string(request.width) + "x" + std::to_string(request.height);
}

Json base_structure(const InferenceRequest& request) {
    return {{"prompt_style", request.prompt_style},
            {"width", request.width},
            {"height", request.height},
            {"num_images", request.num_images}};
}

protocol::ToolResult offline_estimate(const InferenceRequest& request, const std::string& reason) {
    if (!request.style) {
        return protocol::ToolResult::error(
            "Cannot estimate " + request.prompt_style +
            " offline: it is not in this server's "
            "catalog (user styles and new styles are priced by the API). " +
            reason +
            " Provide an API key (or retry when the API is reachable) for the free dry run.");
    }
    const double cost =
        estimate_cost(*request.style, request.width, request.height, request.num_images);
    auto result = protocol::ToolResult::text("Offline estimate: " + format_usd(cost) + " for " +
                                             what(request) + " (documented formula " +
                                             describe_price(request.style->price) + "; " + reason +
                                             " The API's check_cost is "
                                             "authoritative).");
    Json structured = base_structure(request);
    structured["balance_cost"] = cost;
    structured["source"] = "offline_estimate";
    structured["formula"] = describe_price(request.style->price);
    result.structured_content = std::move(structured);
    return result;
}

bool should_fall_back(const UpstreamError& error) {
    switch (error.kind) {
        case UpstreamError::Kind::MissingKey:
        case UpstreamError::Kind::Connect:
        case UpstreamError::Kind::Timeout:
        case UpstreamError::Kind::InvalidResponse:
            return true;
        case UpstreamError::Kind::Http:
            return error.status >= 500;
        case UpstreamError::Kind::Cancelled:
            return false;
    }
    return false;
}

protocol::ToolResult estimate_inference(const InferenceRequest& request,
                                        const UpstreamClient& upstream,
                                        protocol::RequestContext& context) {
    Json dry_run = upstream_body(request);  // never `async`: the controls are not in the body
    dry_run["check_cost"] = true;
    auto reply = upstream.post("/inferences", dry_run, request.images, context);
    if (!reply.ok()) {
        if (should_fall_back(*reply.error)) {
            return offline_estimate(
                request, reply.error->kind == UpstreamError::Kind::MissingKey
                             ? "no API key was given."
                             : "the API could not be asked (" + reply.error->summary() + ").");
        }
        return tool_error_for(*reply.error, "Estimating the cost");
    }
    const auto price = reply.body.get<CostAnswer>();
    if (!price.balance_cost) {
        return offline_estimate(request, "the API's answer had no balance_cost.");
    }
    Json structured = base_structure(request);
    structured["balance_cost"] = *price.balance_cost;
    structured["source"] = "api_check_cost";
    std::string text = "Cost: " + format_usd(*price.balance_cost) + " for " + what(request) +
                       " (the API's check_cost dry run; nothing was charged).";
    if (price.remaining_balance) {
        structured["remaining_balance"] = *price.remaining_balance;
        text += " Current balance: " + format_usd(*price.remaining_balance) + ".";
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
    return {definition(config), handler};
}

}  // namespace rdmcp::tools
