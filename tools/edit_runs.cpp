#include "tools/edit_runs.h"

#include <algorithm>

#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/read_retry.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2000);  // the API suggests ~2 s

std::string tool_path(const EditToolRequest& request) { return "/edit/tools/" + request.tool_id; }

// How to get a task's result back without paying again: the same custom_id.
std::string resume_hint(const EditToolRequest& request) {
    return " Call run_edit_tool again with the same arguments and custom_id \"" +
           *request.custom_id +
           "\": the API returns this run instead of starting (and charging) another.";
}

// The failed task's error: v2 {status_code, code, message, request_id}; v1 {status_code,
// detail: {code, message, request_id}} (or detail as text).
std::string task_failure(const Json& task) {
    const Json* error = member_in(task, "error");
    if (!error || !error->is_object()) return "no reason given";
    const Json* detail = member_in(*error, "detail");
    const Json& source = detail && detail->is_object() ? *detail : *error;
    std::string message = text_in(source, "message").value_or("");
    if (message.empty() && detail && detail->is_string()) message = detail->get<std::string>();
    if (message.empty()) message = "no reason given";
    if (auto code = text_in(source, "code")) message += " (" + *code + ")";
    return message;
}

}  // namespace

std::variant<PreparedEdit, protocol::ToolResult> prepare_edit(const Json& arguments,
                                                              EditToolCatalog& catalog,
                                                              protocol::RequestContext& context,
                                                              bool allow_local_files) {
    std::string problem;
    const std::string tool_id = read_edit_tool_id(arguments, problem);
    if (tool_id.empty()) return rejected_before_sending(problem);
    const auto tools = catalog.get(context);
    const auto* tool = tools.find(tool_id);
    if (!tool) return rejected_before_sending(unknown_edit_tool_message(tool_id, tools));
    auto built =
        build_edit_tool_request(arguments, *tool, {.allow_local_files = allow_local_files});
    if (auto* refusal = std::get_if<std::string>(&built)) return rejected_before_sending(*refusal);
    return PreparedEdit{*tool, std::move(std::get<EditToolRequest>(built))};
}

EditTaskRun run_edit_task(const EditToolRequest& request, const UpstreamClient& upstream,
                          protocol::RequestContext& context,
                          std::chrono::milliseconds progress_interval) {
    const std::string action = "Starting " + request.tool_id;
    Json body = request.body;
    body["custom_id"] = *request.custom_id;
    IdempotentSubmission submission;
    submission.key = *request.custom_id;
    submission.key_in_header = false;  // edit tasks take it as custom_id; no header (the docs)
    auto admitted =
        upstream.submit(tool_path(request) + "/tasks", body, request.images, submission, context);
    if (!admitted.ok()) {
        const auto& error = *admitted.error;
        if (error.kind == UpstreamError::Kind::Http &&
            (error.status == 404 || error.status == 405) && error.code != "tool_not_found") {
            return {Json(), true};
        }
        auto result = tool_error_for(error, action);
        if (answer_lost(error)) {
            result.content[0]["text"] = result.content[0]["text"].get<std::string>() +
                                        " It may have been accepted." + resume_hint(request);
        }
        return {std::move(result)};
    }
    const auto task_id = text_in(admitted.body, "task_id");
    if (!task_id) {
        // Some answer other than a task: a finished run is taken as it is.
        if (member_in(admitted.body, "base64_images") || member_in(admitted.body, "output_urls")) {
            return {std::move(admitted.body)};
        }
        return {protocol::ToolResult::error(
            action + " was answered without a task_id, so its progress cannot be followed." +
            resume_hint(request))};
    }

    const auto progress = context.report_progress_while(
        "Waiting for RetroDiffusion to run " + request.tool_id, progress_interval);
    const auto deadline = std::chrono::steady_clock::now() + upstream.config().read_timeout;
    auto interval = std::chrono::milliseconds(500);
    std::string last_problem;
    while (std::chrono::steady_clock::now() < deadline &&
           wait_unless_cancelled(interval, context.cancellation.get())) {
        interval = std::min(interval * 2, kPollInterval);
        auto reply = upstream.get("/edit/tasks/" + *task_id, context);
        if (!reply.ok()) {
            const auto& error = *reply.error;
            if (error.kind == UpstreamError::Kind::Http && error.status == 404) {
                return {
                    tool_error_for(error, "Following " + request.tool_id + " task " + *task_id)};
            }
            // Anything else can pass (a dropped connection, 429, 5xx): the paid task goes on,
            // and so does the polling.
            last_problem = error.summary();
            continue;
        }
        const std::string status = text_in(reply.body, "status").value_or("");
        if (status == "succeeded") {
            if (const Json* result = member_in(reply.body, "result");
                result && result->is_object()) {
                return {std::move(reply.body["result"])};  // may hold images: moved
            }
            return {protocol::ToolResult::error(request.tool_id + " task " + *task_id +
                                                " succeeded but its answer carried no result." +
                                                resume_hint(request))};
        }
        if (status == "failed") {
            return {protocol::ToolResult::error(
                request.tool_id + " failed upstream: " + task_failure(reply.body) +
                ". Edit tasks are refunded when they fail. To try again, call run_edit_tool with "
                "a new custom_id (or none).")};
        }
    }
    std::string text = context.is_cancelled()
                           ? request.tool_id + " task " + *task_id +
                                 " was left running when the call was cancelled; it goes on and "
                                 "is paid for."
                           : request.tool_id + " task " + *task_id + " was still running after " +
                                 std::to_string(upstream.config().read_timeout.count()) +
                                 " s; it goes on and is paid for.";
    if (!last_problem.empty()) text += " (Last look-up: " + last_problem + ".)";
    return {protocol::ToolResult::error(text + resume_hint(request))};
}

EditRunAnswer run_edit_now(const EditToolRequest& request, const UpstreamClient& upstream,
                           protocol::RequestContext& context,
                           std::chrono::milliseconds progress_interval) {
    UpstreamResult reply;
    {
        const auto progress = context.report_progress_while(
            "Waiting for RetroDiffusion to run " + request.tool_id, progress_interval);
        reply = upstream.post(tool_path(request), request.body, request.images, context);
    }
    if (reply.ok()) {
        if (!reply.request_id.empty() && !member_in(reply.body, "request_id") &&
            reply.body.is_object()) {
            reply.body["request_id"] = reply.request_id;
        }
        return std::move(reply.body);  // inline images: moved, not copied
    }
    auto result = tool_error_for(*reply.error, "Running " + request.tool_id);
    if (answer_lost(*reply.error) ||
        (reply.error->kind == UpstreamError::Kind::Http && reply.error->status >= 500)) {
        // Sent once and never again here: a run whose answer was lost may have finished and
        // been charged.
        result.content[0]["text"] =
            result.content[0]["text"].get<std::string>() +
            " Runs are not sent twice automatically: the run may have finished and been "
            "charged. Look for it with list_inference_jobs (on API v2 it lists recent runs of "
            "every kind, and get_inference_result recovers their images for 24 hours) and check "
            "get_balance before running it again.";
    }
    return result;
}

}  // namespace rdmcp::tools
