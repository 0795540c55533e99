#include "tools/inference_jobs.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/cost_model.h"
#include "tools/generated_images.h"
#include "tools/hosted_outputs.h"
#include "tools/idempotency_key.h"
#include "tools/price_quotes.h"
#include "tools/rd_resources.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// How long a job stays useful to poll; the API's own retention is not documented.
constexpr long long kJobTtlMs = 24LL * 3600 * 1000;

std::string shortened(const std::string& text, std::size_t limit = 80) {
    return text.size() <= limit ? text : text.substr(0, limit - 3) + "...";
}

protocol::ToolResult failed_job_error(const JobFailure& failure, const JobDescription& job) {
    const std::string detail = failure.detail.value_or("the generation failed");
    const int status_code = failure.status_code.value_or(0);
    std::string text = "The job (" +
                       (job.prompt_style.empty() ? std::string("inference") : job.prompt_style) +
                       ") failed";
    if (status_code) text += " with status " + std::to_string(status_code);
    if (failure.code && !failure.code->empty()) text += " (" + shortened(*failure.code) + ")";
    text += ": " + detail;
    if (failure.request_id && !failure.request_id->empty()) {
        text += " (request id: " + shortened(*failure.request_id) + ")";
    }
    text += ". ";
    text += status_code >= 400 && status_code < 500
                ? "Fix the request and start a new job."
                : "It is safe to start it again; charges for failed generations are refunded.";
    return protocol::ToolResult::error(std::move(text));
}

// A v2 submission without an answer. When the answer was lost (no reply, a timeout, 5xx, 429)
// even after asking again, the API may have accepted it: what it charged is then found among
// the key's tasks, which list_inference_jobs reads, before anything is started again.
protocol::ToolResult submission_failure(const UpstreamError& error, int attempts,
                                        const std::string& action, const std::string& key) {
    if (error.code == "idempotency_backend_unavailable") {
        return protocol::ToolResult::error(
            action + " was refused: the API could not check its idempotency key just now (503 " +
            "idempotency_backend_unavailable" +
            (error.request_id.empty() ? "" : ", request id " + error.request_id) +
            "), and without that check it is not sent again automatically. Call "
            "list_inference_jobs to make sure it was not accepted, then start it again.");
    }
    if (error.code == "idempotency_conflict") {
        return protocol::ToolResult::error(
            action +
            " was refused: the API holds another submission under this call's "
            "idempotency key (409 idempotency_conflict), so nothing new was charged. Start it "
            "again: each call gets a key of its own.");
    }
    const bool answer_lost =
        error.kind == UpstreamError::Kind::Connect || error.kind == UpstreamError::Kind::Timeout ||
        (error.kind == UpstreamError::Kind::Http && (error.status == 429 || error.status >= 500));
    if (!answer_lost) return tool_error_for(error, action);
    return protocol::ToolResult::error(
        action + " got no answer after " + std::to_string(attempts) + " attempt" +
        (attempts == 1 ? "" : "s") + " (" + error.summary() +
        "). Every attempt carried the same idempotency key (" + key +
        "), so the API charges it at most once; it may have been accepted. Call "
        "list_inference_jobs to find it before starting it again.");
}

}  // namespace

long long unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::variant<SubmittedJob, protocol::ToolResult> submit_job(const InferenceRequest& request,
                                                            protocol::RequestContext& context,
                                                            const JobServices& services,
                                                            SpendPermit* spend) {
    // A refusal charged nothing; an answer lost may have been paid (the whole price counts).
    auto refused = [spend](const UpstreamError& error) {
        if (spend && charged_nothing(error)) spend->nothing_charged();
    };
    const auto& upstream = *services.upstream;
    const std::string action = "Starting the job (" + request.prompt_style + ")";
    Json body = upstream_body(request);
    if (upstream.config().api_version == ApiVersion::V1) {
        body["async"] = true;
        auto reply = upstream.post("/inferences", body, request.images, context);
        if (!reply.ok()) {
            refused(*reply.error);
            return tool_error_for(*reply.error, action);
        }
        return accept_job_answer(reply.body, request, context, services, "", spend);
    }
    // v2 admits every generation as a task, and charges a submission once per Idempotency-Key:
    // an answer lost on the way is asked for again with the same key.
    // A confirmed call keeps its confirmation's key: replayed on another replica, the API
    // answers with the original task instead of charging again.
    const std::string key = spend && !spend->confirmation_id().empty()
                                ? "rdmcp-confirmed-" + spend->confirmation_id()
                                : new_idempotency_key();
    // Admission answers at once; a slow one is taken for lost after at most 30 s.
    const auto answer_timeout =
        std::min<std::chrono::seconds>(std::chrono::seconds(30), upstream.config().read_timeout);
    auto reply = upstream.submit("/inferences", body, request.images,
                                 {.key = key, .answer_timeout = answer_timeout}, context);
    if (!reply.ok()) {
        refused(*reply.error);
        return submission_failure(*reply.error, reply.attempts, action, key);
    }
    return accept_job_answer(reply.body, request, context, services, key, spend);
}

std::variant<SpendPermit, protocol::ToolResult> authorize_generation(
    const std::string& tool, const InferenceRequest& request, const Json& arguments,
    protocol::RequestContext& context, const JobServices& services) {
    if (!services.spend) return SpendPermit{};
    return services.spend->authorize({tool, describe_generation(request), arguments},
                                     inference_quoter(request, *services.upstream, context),
                                     context);
}

bool is_job_answer(const Json& answer) { return answer.get<JobAdmission>().task_id.has_value(); }

std::variant<SubmittedJob, protocol::ToolResult> accept_job_answer(
    const Json& answer, const InferenceRequest& request, protocol::RequestContext& context,
    const JobServices& services, const std::string& idempotency_key, SpendPermit* spend) {
    const auto admission = answer.get<JobAdmission>();
    SubmittedJob submitted;
    auto& job = submitted.job;
    job.prompt_style = request.prompt_style;
    job.width = request.width;
    job.height = request.height;
    job.num_images = request.num_images;
    job.has_pre_palette = returns_pre_palette(request);
    job.has_non_bg_removed = returns_non_bg_removed(request);
    job.created_at_ms = unix_now_ms();
    job.idempotency_key = idempotency_key;
    if (admission.balance_cost) {
        job.estimated_cost = *admission.balance_cost;
    } else if (request.style) {
        job.estimated_cost =
            estimate_cost(*request.style, request.width, request.height, request.num_images);
    }

    if (!admission.task_id) {
        if (spend) spend->settle(std::max(0.0, job.estimated_cost));
        if (admission.has_images) {
            // The API generated synchronously after all: hand the images over at once.
            auto images = read_inference_images(answer, job.num_images, job.has_pre_palette,
                                                job.has_non_bg_removed);
            submitted.immediate_result =
                render_images(std::move(images),
                              {.headline = "Generated with " + request.prompt_style +
                                           " (the API answered at once)",
                               .file_stem = request.prompt_style,
                               .output_dir = request.output_dir,
                               .save = request.save,
                               .frames = request.frames},
                              services.config);
            return submitted;
        }
        return protocol::ToolResult::error(
            "Starting the job failed: the API accepted it but sent no task_id. Check get_balance "
            "before retrying, so as not to pay twice.");
    }
    job.upstream_task_id = *admission.task_id;
    if (!is_upstream_task_id(job.upstream_task_id)) {
        // Never put it into a URL; the agent still learns what was paid for.
        return protocol::ToolResult::error(
            "The API accepted the job but answered with a task id this server cannot look up (" +
            shortened(
                Json(job.upstream_task_id).dump(-1, ' ', false, Json::error_handler_t::replace)) +
            "). Check get_balance and the RetroDiffusion web app before retrying, so as not to "
            "pay twice.");
    }
    submitted.job_id = sign_job(job, context.api_key, services.server_secret);
    if (spend) spend->settle(std::max(0.0, job.estimated_cost), submitted.job_id);
    services.ledger->record(context.api_key,
                            {.job_id = submitted.job_id,
                             .upstream_task_id = job.upstream_task_id,
                             .prompt_style = job.prompt_style,
                             .prompt = shortened(request.prompt),
                             .created_at_ms = job.created_at_ms,
                             .last_status = admission.status.value_or("accepted")});
    return submitted;
}

protocol::ToolResult submission_result(std::variant<SubmittedJob, protocol::ToolResult> outcome) {
    if (auto* error = std::get_if<protocol::ToolResult>(&outcome)) return std::move(*error);
    auto& submitted = std::get<SubmittedJob>(outcome);
    if (submitted.immediate_result) return std::move(*submitted.immediate_result);
    const auto& job = submitted.job;
    std::string text = "Started job for " + job.prompt_style + " at " + std::to_string(job.width) +
                       "x" + std::to_string(job.height) + ".";
    if (job.estimated_cost >= 0) text += " Cost " + format_usd(job.estimated_cost) + ".";
    text += " Poll get_inference_job with this job_id every 2-5 seconds:\n" + submitted.job_id;
    auto result = protocol::ToolResult::text(std::move(text));
    result.content.push_back(job_resource_link(submitted.job_id));
    // No images yet: `images` and `inline` keep the shape of create_inference's outputSchema.
    Json structured = {
        {"job_id", submitted.job_id}, {"upstream_task_id", job.upstream_task_id},
        {"status", "accepted"},       {"poll_interval_seconds", kJobPollIntervalMs / 1000.0},
        {"images", Json::array()},    {"inline", true}};
    if (job.estimated_cost >= 0) structured["estimated_cost"] = job.estimated_cost;
    result.structured_content = std::move(structured);
    return result;
}

std::optional<JobDescription> job_for_id(const std::string& job_id, const std::string& api_key,
                                         const JobServices& services) {
    if (auto job = verify_job(job_id, api_key, services.server_secret)) return job;
    if (job_id.rfind("rdjob1.", 0) != 0 && is_upstream_task_id(job_id)) {
        JobDescription bare;
        bare.upstream_task_id = job_id;
        return bare;
    }
    return std::nullopt;
}

JobPoll poll_job(const std::string& job_id, const JobDescription& job,
                 protocol::RequestContext& context, const JobServices& services,
                 const ImageDestination& destination) {
    JobPoll poll;
    auto reply = services.upstream->get("/inferences/tasks/" + job.upstream_task_id, context);
    if (!reply.ok()) {
        // Only the API saying it does not know the job ends it here. Anything else (a reset, a
        // timeout, 429, 5xx, even a refused key) says nothing about the job, which goes on and
        // was paid for: ending it would make the agent generate, and pay, again.
        if (reply.error->kind == UpstreamError::Kind::Http && reply.error->status == 404) {
            poll.state = JobState::Failed;
            poll.unknown_job = true;
            poll.result = protocol::ToolResult::error(
                "The API does not know this job: it has expired, or it was started with another "
                "API key. list_inference_jobs shows the jobs this server started for your key.");
        } else {
            poll.state = JobState::Unreadable;
            poll.lookup_problem = reply.error->summary();
        }
        return poll;
    }
    auto answer = reply.body.get<JobStatusAnswer>();
    poll.upstream_status = answer.status;
    services.ledger->update_status(context.api_key, job_id, poll.upstream_status);
    if (poll.upstream_status == "succeeded") {
        poll.state = JobState::Succeeded;
        auto& images = answer.result;
        label_images(images, job.num_images, job.has_pre_palette, job.has_non_bg_removed);
        const std::size_t count = std::max(images.base64_images.size(), images.output_urls.size());
        std::string headline =
            "Generated " + std::to_string(count) + " image" + (count == 1 ? "" : "s");
        if (!job.prompt_style.empty()) {
            headline += " with " + job.prompt_style + " at " + std::to_string(job.width) + "x" +
                        std::to_string(job.height);
        }
        if (auto not_inlined = inline_hosted_outputs(images, *services.upstream, context);
            !not_inlined.empty()) {
            headline += ". " + not_inlined;
        }
        poll.result =
            render_images(std::move(images),
                          {.headline = headline,
                           .file_stem = job.prompt_style.empty() ? "job" : job.prompt_style,
                           .output_dir = destination.output_dir,
                           .save = destination.save,
                           .frames = destination.frames},
                          services.config);
    } else if (poll.upstream_status == "failed") {
        poll.state = JobState::Failed;
        // Failed generations are refunded: the charge stops counting against the budget.
        if (services.spend) services.spend->refunded(context.api_key, job_id);
        poll.result = failed_job_error(answer.error, job);
    } else if (poll.upstream_status == "running") {
        poll.state = JobState::Running;
    } else {
        poll.state = JobState::Pending;  // "pending", "accepted", or a state newer than us
    }
    return poll;
}

protocol::Task task_for(const std::string& job_id, const JobDescription& job, const JobPoll& poll) {
    protocol::Task task;
    task.task_id = job_id;
    task.created_at = protocol::iso8601_utc(job.created_at_ms ? job.created_at_ms : unix_now_ms());
    task.last_updated_at = protocol::iso8601_utc(unix_now_ms());
    task.ttl_ms = kJobTtlMs;
    task.poll_interval_ms = kJobPollIntervalMs;
    switch (poll.state) {
        case JobState::Pending:
        case JobState::Running:
            task.status = protocol::TaskStatus::Working;
            task.status_message =
                "RetroDiffusion job " +
                (poll.upstream_status.empty() ? "accepted" : poll.upstream_status) +
                "; poll tasks/get every 2 s.";
            break;
        case JobState::Unreadable:
            task.status = protocol::TaskStatus::Working;
            task.status_message = "Could not check the RetroDiffusion job just now (" +
                                  poll.lookup_problem + "); it goes on. Poll tasks/get again.";
            break;
        case JobState::Succeeded:
        case JobState::Failed:
            // A failed generation is a tool error (isError), not a JSON-RPC error: "completed".
            task.status = protocol::TaskStatus::Completed;
            task.result = poll.result ? poll.result->to_json() : Json::object();
            task.status_message =
                poll.state == JobState::Succeeded ? "Done." : "The generation failed.";
            break;
    }
    return task;
}

}  // namespace rdmcp::tools
