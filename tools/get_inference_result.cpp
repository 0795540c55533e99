// get_inference_result: what a paid call produced, recovered instead of paid for again. By
// request_id (v2 API Activity: every generation, edit and Pixel Fixer call of the last 24 hours,
// its outputs behind fresh signed links) or by task_id (a generation task, on either version).
#include "tools/agent_errors.h"
#include "tools/api_activity.h"
#include "tools/generated_images.h"
#include "tools/hosted_outputs.h"
#include "tools/inference_jobs.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

Json get_inference_result_output_schema() {
    Json schema = images_output_schema();
    auto& properties = schema["properties"];
    properties["request_id"] = {{"type", "string"}};
    properties["task_id"] = {{"type", "string"}};
    properties["status"] = {{"type", "string"},
                            {"description", "queued, pending, running, succeeded or failed"}};
    properties["operation"] = {{"type", "string"},
                               {"description", "inference, edit_tool, pixel_fixer.standard, ..."}};
    properties["done"] = {{"type", "boolean"}};
    return schema;
}

protocol::ToolDefinition get_inference_result_definition() {
    const auto id = [](const char* description) {
        Json schema = {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}};
        if (description) schema["description"] = description;
        return schema;
    };
    return {
        .name = "get_inference_result",
        .title = "Recover a result",
        .description =
            "Recovers a paid result of the last 24 h by its request_id (or task_id), unpaid: use "
            "it before generating again after a lost answer. Free.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"request_id", id("Named by a paid result (API v2).")},
                           {"task_id", id(nullptr)}}},
                         {"additionalProperties", false}},
        .output_schema = get_inference_result_output_schema(),
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
}

std::string when(const std::optional<std::string>& time) { return time ? " (" + *time + ")" : ""; }

protocol::ToolResult still_running(const ApiActivity& activity) {
    auto result = protocol::ToolResult::text(
        "Request " + activity.request_id + " (" + activity.operation + ") is still " +
        activity.status +
        ". Call get_inference_result again in a few seconds; do not start it "
        "again.");
    result.structured_content =
        Json{{"request_id", activity.request_id}, {"status", activity.status},
             {"operation", activity.operation},   {"done", false},
             {"images", Json::array()},           {"inline", true}};
    return result;
}

protocol::ToolResult failed(const ApiActivity& activity) {
    std::string text = "Request " + activity.request_id + " (" + activity.operation + ") failed";
    if (activity.error_code) text += " with " + *activity.error_code;
    if (activity.error_message) text += ": " + *activity.error_message;
    text += activity.charged.value_or(false)
                ? ". It was charged; failed generations are normally refunded (check get_balance)."
                : ". Nothing was charged for it.";
    return protocol::ToolResult::error(std::move(text));
}

protocol::ToolResult from_activity(const ApiActivity& activity, const UpstreamClient& upstream,
                                   protocol::RequestContext& context, const ToolsConfig& config) {
    if (activity.status == "queued" || activity.status == "running") return still_running(activity);
    if (activity.status != "succeeded") return failed(activity);
    GeneratedImages images;
    std::optional<std::string> gone_since;
    for (const auto& output : activity.outputs) {
        if (output.available && output.url) {
            images.output_urls.push_back(*output.url);
        } else {
            gone_since = output.retained_until.value_or("its 24 hours");
        }
    }
    if (images.output_urls.empty()) {
        return protocol::ToolResult::error(
            "Request " + activity.request_id + " (" + activity.operation + ") succeeded" +
            when(activity.completed_at) +
            (activity.outputs.empty()
                 ? ", but the API recorded no outputs for it."
                 : ", but its outputs are no longer kept: the API keeps them for 24 hours (until " +
                       *gone_since +
                       ") and only what was asked for 30 days. Generate again if "
                       "you need them."));
    }
    images.balance_cost = activity.balance_cost;
    images.created_at = activity.completed_at ? activity.completed_at : activity.created_at;
    label_images(images, static_cast<int>(images.output_urls.size()), false, false);
    const std::string not_inlined = inline_hosted_outputs(images, upstream, context);
    const std::size_t count = images.output_urls.size();
    auto result = render_images(
        std::move(images),
        {.headline = "Recovered " + std::to_string(count) + " output" + (count == 1 ? "" : "s") +
                     " of request " + activity.request_id + " (" + activity.operation + ")" +
                     (not_inlined.empty() ? "" : ". " + not_inlined),
         .file_stem = "result-" + activity.request_id,
         .output_dir = ""},
        config);
    if (result.structured_content) {
        (*result.structured_content)["request_id"] = activity.request_id;
        (*result.structured_content)["status"] = activity.status;
        (*result.structured_content)["operation"] = activity.operation;
        (*result.structured_content)["done"] = true;
    }
    return result;
}

protocol::ToolResult by_request_id(const std::string& request_id, const JobServices& jobs,
                                   protocol::RequestContext& context) {
    if (jobs.upstream->config().api_version == ApiVersion::V1) {
        return rejected_before_sending(
            "request ids belong to API Activity, which API v1 does not have: this server runs "
            "with --api-version v1. Pass the generation's task_id (or use get_inference_job with "
            "its job_id) instead");
    }
    auto reply = jobs.upstream->get("/inferences/requests/" + request_id, context);
    if (!reply.ok()) {
        if (reply.error->kind == UpstreamError::Kind::Http && reply.error->status == 404) {
            return protocol::ToolResult::error(
                "The API knows no request " + request_id +
                " for your key: it is older than 30 days, was made with another key, or the id "
                "is mistyped. list_inference_jobs lists your recent generation tasks.");
        }
        return tool_error_for(*reply.error, "Looking up request " + request_id);
    }
    auto activity = reply.body.get<ApiActivity>();
    if (activity.request_id.empty()) activity.request_id = request_id;
    return from_activity(activity, *jobs.upstream, context, jobs.config);
}

protocol::ToolResult by_task_id(const std::string& task_id, const JobServices& jobs,
                                protocol::RequestContext& context) {
    JobDescription bare;
    bare.upstream_task_id = task_id;
    auto poll = poll_job(task_id, bare, context, jobs);
    if (poll.result) {
        if (poll.result->structured_content) {
            (*poll.result->structured_content)["task_id"] = task_id;
            (*poll.result->structured_content)["status"] = poll.upstream_status;
            (*poll.result->structured_content)["done"] = true;
        }
        return std::move(*poll.result);
    }
    const bool unread = poll.state == JobState::Unreadable;
    auto result = protocol::ToolResult::text(
        unread ? "Could not check task " + task_id + " just now (" + poll.lookup_problem +
                     "); it goes on. Call get_inference_result again in a few seconds."
               : "Task " + task_id + " is still " + poll.upstream_status +
                     ". Call get_inference_result again in a few seconds; do not start it again.");
    result.structured_content =
        Json{{"task_id", task_id},
             {"status", unread ? std::string("unknown") : poll.upstream_status},
             {"done", false},
             {"images", Json::array()},
             {"inline", true}};
    return result;
}

}  // namespace

protocol::Tool make_get_inference_result_tool(JobsPtr jobs) {
    auto handler = [jobs](const Json& arguments, protocol::RequestContext& context) {
        const auto request_id = arguments.value("request_id", std::string());
        const auto task_id = arguments.value("task_id", std::string());
        if (request_id.empty() == task_id.empty()) {
            return rejected_before_sending("pass exactly one of request_id or task_id");
        }
        const std::string& id = request_id.empty() ? task_id : request_id;
        if (!is_upstream_task_id(id)) {
            return rejected_before_sending(
                "an id is made of letters, digits, '-' and '_' only: copy it exactly as a result "
                "or list_inference_jobs gave it");
        }
        if (context.api_key.empty()) {
            return rejected_before_sending(
                "results belong to the API key that paid for them, and no key was provided: set "
                "RD_API_KEY (local) or send `Authorization: Bearer <key>` (hosted)");
        }
        return request_id.empty() ? by_task_id(task_id, *jobs, context)
                                  : by_request_id(request_id, *jobs, context);
    };
    return {get_inference_result_definition(), handler};
}

}  // namespace rdmcp::tools
