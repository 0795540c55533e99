#include "tools/price_quotes.h"

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/api_fields.h"
#include "tools/cost_model.h"
#include "tools/read_retry.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

namespace {

// Failures after which the documented price stands in: the API could not be asked at all.
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

std::variant<InferencePrice, ToolResult> offline_price(const InferenceRequest& request,
                                                       const std::string& reason) {
    if (!request.style) {
        return ToolResult::error(
            "Cannot price " + request.prompt_style +
            " offline: it is not in this server's catalog (user styles and new styles are priced "
            "by the API). " +
            reason +
            " Provide an API key (or retry when the API is reachable) for the free dry run.");
    }
    InferencePrice price;
    price.usd = estimate_cost(*request.style, request.width, request.height, request.num_images);
    price.formula = describe_price(request.style->price);
    price.why_offline = reason;
    return price;
}

}  // namespace

std::string describe_generation(const InferenceRequest& request) {
    return std::to_string(request.num_images) + " x " + request.prompt_style + " at " +
           std::to_string(request.width) + "x" + std::to_string(request.height);
}

std::variant<InferencePrice, ToolResult> price_inference(const InferenceRequest& request,
                                                         const UpstreamClient& upstream,
                                                         protocol::RequestContext& context) {
    Json dry_run = upstream_body(request);  // never `async`: the controls are not in the body
    dry_run["check_cost"] = true;
    auto reply = upstream.post("/inferences", dry_run, request.images, context);
    if (!reply.ok()) {
        if (should_fall_back(*reply.error)) {
            return offline_price(
                request, reply.error->kind == UpstreamError::Kind::MissingKey
                             ? "no API key was given."
                             : "the API could not be asked (" + reply.error->summary() + ").");
        }
        return tool_error_for(*reply.error, "Estimating the cost");
    }
    const auto answer = reply.body.get<CostAnswer>();
    if (!answer.balance_cost)
        return offline_price(request, "the API's answer had no balance_cost.");
    InferencePrice price;
    price.usd = *answer.balance_cost;
    price.remaining_balance = answer.remaining_balance;
    price.from_api = true;
    return price;
}

PriceQuoter inference_quoter(const InferenceRequest& request, const UpstreamClient& upstream,
                             protocol::RequestContext& context) {
    return [&]() -> std::variant<PriceQuote, ToolResult> {
        auto priced = price_inference(request, upstream, context);
        if (auto* error = std::get_if<ToolResult>(&priced)) {
            auto refusal = ToolResult::error(
                "Not sent, nothing was charged: the price had to be known first (a spend limit "
                "applies) and could not be. " +
                error->content[0]["text"].get<std::string>());
            return refusal;
        }
        const auto& price = std::get<InferencePrice>(priced);
        return PriceQuote{price.usd, price.from_api ? "the API's check_cost"
                                                    : "the documented price " + price.formula +
                                                          ", as " + price.why_offline};
    };
}

UpstreamResult ask_edit_estimate(const EditToolRequest& request, const UpstreamClient& upstream,
                                 protocol::RequestContext& context) {
    const std::string path = "/edit/tools/" + request.tool_id + "/estimate";
    auto reply = upstream.post(path, request.body, request.images, context);
    if (!reply.ok()) {
        if (auto wait = read_retry_wait(*reply.error);
            wait && wait_unless_cancelled(*wait, context.cancellation.get())) {
            reply = upstream.post(path, request.body, request.images, context);
        }
    }
    return reply;
}

PriceQuoter edit_tool_quoter(const EditToolRequest& request, const EditToolDefinition& tool,
                             const UpstreamClient& upstream, protocol::RequestContext& context) {
    return [&]() -> std::variant<PriceQuote, ToolResult> {
        // The catalog (the API's own) says so: nothing to ask. Its balance_cost alone is not
        // enough, as the API fills it with 0.0 where it does not say.
        if (tool.is_free.value_or(false)) return PriceQuote{0, "free, as the API's catalog says"};
        auto reply = ask_edit_estimate(request, upstream, context);
        if (reply.ok()) {
            auto cost = number_in(reply.body, "balance_cost");
            if (!cost) cost = number_in(reply.body, "balanceCost");
            if (cost) return PriceQuote{*cost, "the API's estimate"};
        } else if (!should_fall_back(*reply.error)) {
            auto error = tool_error_for(*reply.error, "Pricing " + request.tool_id);
            return ToolResult::error(
                "Not sent, nothing was charged: the price had to be known "
                "first (a spend limit applies). " +
                error.content[0]["text"].get<std::string>());
        }
        if (tool.balance_cost) {
            return PriceQuote{*tool.balance_cost,
                              "the catalog's price, as the API's estimate "
                              "could not be had"};
        }
        return ToolResult::error(
            "Not sent, nothing was charged: a spend limit applies and the price of " +
            request.tool_id + " could not be learnt (" +
            (reply.ok() ? std::string("the estimate named no balance_cost")
                        : reply.error->summary()) +
            "). Try again later.");
    };
}

}  // namespace rdmcp::tools
