// start_lowpoly_generate, _revise, _animate, _split and _rerig: the paid Low-Poly jobs. Each is
// priced by the free POST /lowpoly/estimate and passed through the spend guard before it is
// sent; its admission (202) carries an Idempotency-Key, so an answer lost on the way is asked
// for again with the same key and charged once; the call answers at once with a signed job id
// that get_lowpoly_job polls.
#include <algorithm>
#include <stdexcept>

#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/idempotency_key.h"
#include "tools/inference_jobs.h"
#include "tools/lowpoly_job_token.h"
#include "tools/lowpoly_tools.h"
#include "tools/rd_resources.h"
#include "tools/read_retry.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

namespace {

struct StartTool {
    LowPolyOperation operation;
    const char* name;
    const char* title;
    const char* description;
};

constexpr StartTool kStartTools[] = {
    {LowPolyOperation::Generate, "start_lowpoly_generate", "Start a Low-Poly 3D model",
     "Starts a low-poly 3D model from a prompt and/or reference images; answers with a job_id for "
     "get_lowpoly_job (1-15 min). Paid by size: $0.25-$3.00, lite styles $0.10."},
    {LowPolyOperation::Revise, "start_lowpoly_revise", "Revise a Low-Poly 3D model",
     "Starts a new version of a model changed as the prompt says; job_id for get_lowpoly_job. "
     "Paid: $0.20-$1.50, lite $0.08."},
    {LowPolyOperation::Animate, "start_lowpoly_animate", "Animate a Low-Poly 3D model",
     "Starts an animation of a model (\"walk cycle\"); rigging is free. job_id for "
     "get_lowpoly_job. Paid: $0.15-$1.00, lite $0.08."},
    {LowPolyOperation::Split, "start_lowpoly_split", "Split a Low-Poly 3D model into parts",
     "Starts splitting a multi-object model into models; job_id for get_lowpoly_job. Paid: "
     "$0.10-$0.25."},
    {LowPolyOperation::Rerig, "start_lowpoly_rerig", "Re-rig a Low-Poly 3D model",
     "Starts re-rigging a rigged model; job_id for get_lowpoly_job. Paid: $0.10-$0.25."},
};

Json input_schema(LowPolyOperation operation) {
    const auto image_list = [](const char* what) {
        Json list = {{"type", "array"},
                     {"maxItems", kMaxLowPolyReferences},
                     {"items", {{"type", "string"}}}};
        if (what) list["description"] = what;
        return list;
    };
    Json properties = {{"prompt", {{"type", "string"}, {"maxLength", kMaxLowPolyPrompt}}},
                       {"custom_id", {{"type", "string"}, {"maxLength", kMaxLowPolyCustomId}}},
                       {kMaxCostArgument, max_cost_schema()}};
    Json required = Json::array();
    if (operation == LowPolyOperation::Generate) {
        properties["prompt"]["description"] = "The model to make; or give reference_images.";
        // Said once, here, for every start_lowpoly_* tool.
        properties["custom_id"]["description"] = "Sent again: the same job, not paid twice.";
        properties["size"] = {{"oneOf",
                               {{{"type", "string"}, {"enum", {"auto"}}},
                                {{"type", "integer"}, {"enum", {16, 32, 64, 128, 256}}}}},
                              {"description", "Default auto."}};
        properties["style"] = {{"type", "string"}, {"enum", kLowPolyStyles}};
        properties["reference_images"] = image_list("PNG/JPEG/WEBP, 8 MB each; 4 with models.");
        properties["reference_models"] = image_list("asset_ids to start from.");
        properties["input_palette"] = {{"type", "string"},
                                       {"description", "A palette image (256 colours)."}};
    } else {
        properties["asset_id"] = {{"type", "string"}};
        properties["version"] = {{"type", "integer"}, {"minimum", 1}};
        required.push_back("asset_id");
    }
    if (operation == LowPolyOperation::Generate || operation == LowPolyOperation::Revise ||
        operation == LowPolyOperation::Animate) {
        properties["mode"] = {{"type", "string"}, {"enum", kLowPolyModes}};
    }
    if (operation == LowPolyOperation::Revise) {
        properties["prompt"]["description"] = "What to change.";
        properties["reference_images"] = image_list(nullptr);
        required.push_back("prompt");
    }
    if (operation == LowPolyOperation::Animate) {
        properties["prompt"]["description"] = "The motion, e.g. \"walk cycle\".";
        properties["animation"] = {{"type", "string"},
                                   {"minLength", 1},
                                   {"maxLength", kMaxLowPolyAnimationName},
                                   {"description", "Its name."}};
        required.push_back("prompt");
    }
    Json schema = {{"type", "object"}, {"properties", properties}};
    if (!required.empty()) schema["required"] = required;
    return schema;
}

Json lowpoly_start_output_schema() {
    return with_spend({{"type", "object"},
                       {"properties",
                        {{"job_id", {{"type", "string"}, {"description", "For get_lowpoly_job."}}},
                         {"task_id", {{"type", "string"}}},
                         {"asset_id", {{"type", "string"}}},
                         {"operation", {{"type", "string"}}},
                         {"status", nullable("string")},
                         {"cost", nullable("number", "USD charged (refunded if it fails)")},
                         {"size", {{"description", "pixels, or \"auto\""}}},
                         {"size_source", nullable("string")},
                         {"request_id", nullable("string")},
                         {"message", nullable("string")},
                         {"idempotency_key", {{"type", "string"}}}}},
                       {"required", {"job_id", "task_id", "asset_id", "operation"}}});
}

// The free estimate's price, or the documented one when it cannot be had.
PriceQuoter lowpoly_quoter(const LowPolyStartRequest& request, const UpstreamClient& upstream,
                           protocol::RequestContext& context) {
    return [&]() -> std::variant<PriceQuote, ToolResult> {
        const Json body = estimate_body(request);
        auto reply = upstream.post("/lowpoly/estimate", body, context);
        if (!reply.ok()) {
            if (auto wait = read_retry_wait(*reply.error);
                wait && wait_unless_cancelled(*wait, context.cancellation.get())) {
                reply = upstream.post("/lowpoly/estimate", body, context);
            }
        }
        if (reply.ok()) {
            if (auto cost = number_in(reply.body, "cost")) {
                return PriceQuote{*cost, "the API's Low-Poly estimate"};
            }
        } else if (reply.error->kind == UpstreamError::Kind::Http && reply.error->status < 500 &&
                   reply.error->status != 429) {
            auto error = tool_error_for(*reply.error, "Pricing the Low-Poly job");
            return ToolResult::error(
                "Not sent, nothing was charged: the price had to be known first (a spend limit "
                "applies). " +
                error.content[0]["text"].get<std::string>());
        }
        return PriceQuote{documented_lowpoly_price(request),
                          request.size ? "the documented price, as the API's estimate could not "
                                         "be had"
                                       : "the documented price at the largest size, as the API's "
                                         "estimate could not be had"};
    };
}

bool refused_by_lowpoly(const UpstreamError& error) {
    return error.kind == UpstreamError::Kind::Http && error.code.rfind("lowpoly_", 0) == 0 &&
           error.status < 500;
}

// A submission without an answer: refused (nothing charged), or lost (maybe accepted, charged
// at most once under its key).
ToolResult submission_failure(const UpstreamError& error, int attempts, const std::string& action,
                              const std::string& key) {
    if (error.code == "idempotency_conflict") {
        return ToolResult::error(
            action +
            " was refused: the API holds another submission under this call's idempotency key "
            "(409 idempotency_conflict), so nothing new was charged. Start it again: each call "
            "gets a key of its own.");
    }
    // A Low-Poly code is the API's own answer (lowpoly_too_many_jobs, lowpoly_unavailable, ...).
    const bool lost = error.kind == UpstreamError::Kind::Connect ||
                      error.kind == UpstreamError::Kind::Timeout ||
                      (error.kind == UpstreamError::Kind::Http &&
                       (error.status == 429 || error.status >= 500) && !refused_by_lowpoly(error));
    if (!lost) return tool_error_for(error, action);
    return ToolResult::error(
        action + " got no answer after " + std::to_string(attempts) + " attempt" +
        (attempts == 1 ? "" : "s") + " (" + error.summary() +
        "). Every attempt carried the same idempotency key (" + key +
        "), so the API charges it at most once; it may have been accepted. Call "
        "list_lowpoly_models (or get_lowpoly_model for the model) to find it before starting "
        "it again.");
}

std::string shown_id(const std::string& id) {
    return Json(id.substr(0, 80)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

ToolResult accepted(const Json& body, const LowPolyStartRequest& request, const std::string& key,
                    SpendPermit& permit, protocol::RequestContext& context,
                    const LowPolyServices& services) {
    LowPolyJob job;
    job.task_id = text_in(body, "task_id").value_or("");
    job.asset_id = text_in(body, "asset_id").value_or(request.asset_id);
    job.operation = operation_name(request.operation);
    job.cost = number_in(body, "cost").value_or(-1);
    job.created_at_ms = unix_now_ms();
    job.idempotency_key = key;
    const double charged = job.cost >= 0 ? job.cost : permit.quoted_usd().value_or(0);
    if (!is_upstream_task_id(job.task_id) || !is_upstream_task_id(job.asset_id)) {
        permit.settle(charged);
        return ToolResult::error(
            "The API accepted the Low-Poly job but answered with ids this server cannot look up "
            "(task " +
            shown_id(job.task_id) + ", model " + shown_id(job.asset_id) +
            "). Check list_lowpoly_models before starting it again, so as not to pay twice.");
    }
    const std::string job_id = sign_lowpoly_job(job, context.api_key, services.config.job_secret);
    permit.settle(charged, job_id);

    Json structured = {{"job_id", job_id},
                       {"task_id", job.task_id},
                       {"asset_id", job.asset_id},
                       {"operation", job.operation},
                       {"idempotency_key", key}};
    for (const char* name : {"status", "cost", "size", "size_source", "request_id", "message"}) {
        if (const Json* value = member_in(body, name)) structured[name] = *value;
    }
    std::string text = "Started the Low-Poly " + job.operation + " (" + describe_lowpoly(request) +
                       ") on model " + job.asset_id;
    if (auto size = number_in(body, "size")) {
        text += ", size " + std::to_string(static_cast<long long>(*size));
    }
    if (job.cost >= 0) text += ", cost " + format_usd(job.cost);
    text += ". Poll it with get_lowpoly_job, job_id: " + job_id +
            " (every 10-20 s; jobs take 1-5 minutes, longer at size 256; failed jobs are "
            "refunded).";
    auto result = ToolResult::text(std::move(text));
    result.content.push_back(job_resource_link(job_id));
    result.structured_content = without_nulls(std::move(structured));
    permit.annotate(result, job.cost >= 0 ? std::optional(job.cost) : std::nullopt);
    if (context.tasks_supported) {
        // Jobs take minutes: a Tasks client polls tasks/get with the job id as the task id.
        LowPolyJobLook accepted;
        accepted.status = "accepted";
        result.task = lowpoly_task(job_id, job, accepted);
    }
    return result;
}

ToolResult start(const StartTool& tool, const Json& arguments, protocol::RequestContext& context,
                 const LowPolyServices& services) {
    auto built =
        build_lowpoly_start(tool.operation, arguments, lowpoly_image_policy(services.config));
    if (auto* problem = std::get_if<std::string>(&built)) {
        return rejected_before_sending(std::move(*problem));
    }
    auto& request = std::get<LowPolyStartRequest>(built);
    const auto& upstream = *services.upstream;
    auto authorized =
        services.spend->authorize({tool.name, describe_lowpoly(request), arguments},
                                  lowpoly_quoter(request, upstream, context), context);
    if (auto* stop = std::get_if<ToolResult>(&authorized)) return std::move(*stop);
    auto& permit = std::get<SpendPermit>(authorized);

    // A confirmed call keeps its confirmation's key: replayed, it is charged once.
    const std::string key = permit.confirmation_id().empty()
                                ? new_idempotency_key()
                                : "rdmcp-confirmed-" + permit.confirmation_id();
    const auto answer_timeout =
        std::min<std::chrono::seconds>(std::chrono::seconds(30), upstream.config().read_timeout);
    const std::string path = lowpoly_start_path(request);
    const Json body = upstream_body(request);
    const Json images = take_lowpoly_images(request);
    auto reply = upstream.submit(path, body, images, {.key = key, .answer_timeout = answer_timeout},
                                 context);
    const std::string action =
        std::string("Starting the Low-Poly ") + operation_name(tool.operation);
    if (!reply.ok()) {
        if (charged_nothing(*reply.error) || refused_by_lowpoly(*reply.error)) {
            permit.nothing_charged();
        }
        return submission_failure(*reply.error, reply.attempts, action, key);
    }
    return accepted(reply.body, request, key, permit, context, services);
}

}  // namespace

std::vector<std::string> lowpoly_start_tool_names() {
    std::vector<std::string> names;
    for (const auto& tool : kStartTools) names.emplace_back(tool.name);
    return names;
}

protocol::Tool make_lowpoly_start_tool(LowPolyPtr lowpoly, std::string_view name) {
    for (const auto& tool : kStartTools) {
        if (name != tool.name) continue;
        protocol::ToolDefinition definition{
            .name = tool.name,
            .title = tool.title,
            .description = tool.description,
            .input_schema = input_schema(tool.operation),
            .output_schema = lowpoly_start_output_schema(),
            .annotations = {.read_only = false,
                            .destructive = false,
                            .idempotent = false,
                            .open_world = true},
        };
        auto handler = [lowpoly, &tool](const Json& arguments, protocol::RequestContext& context) {
            return start(tool, arguments, context, *lowpoly);
        };
        return {std::move(definition), handler};
    }
    throw std::logic_error("no Low-Poly start tool is named " + std::string(name));
}

std::vector<protocol::Tool> make_lowpoly_start_tools(LowPolyPtr lowpoly) {
    std::vector<protocol::Tool> tools;
    for (const auto& name : lowpoly_start_tool_names())
        tools.push_back(make_lowpoly_start_tool(lowpoly, name));
    return tools;
}

}  // namespace rdmcp::tools
