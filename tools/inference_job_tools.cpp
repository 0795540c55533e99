// The async job tools any client can use: start_inference_job (submit once, get an id at
// once), get_inference_job (poll; the images when done), list_inference_jobs (the jobs this
// server started for the caller, so a lost id never means paying twice).
#include <algorithm>

#include "tools/agent_errors.h"
#include "tools/api_activity.h"
#include "tools/generated_images.h"
#include "tools/inference_jobs.h"
#include "tools/rd_resources.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

Json job_status_schema() {
    return {{"type", "object"},
            {"properties",
             {{"job_id", {{"type", "string"}, {"description", "Pass to get_inference_job."}}},
              {"upstream_task_id", {{"type", "string"}}},
              {"status",
               {{"type", "string"},
                {"description", "accepted, pending, running, succeeded or failed"}}},
              {"estimated_cost", {{"type", "number"}, {"description", "USD"}}},
              {"poll_interval_seconds", {{"type", "number"}}},
              {"spend", spend_schema()}}},
            {"required", {"job_id", "status"}}};
}

// get_inference_job answers with images when done, with a status while running: one schema.
Json job_result_schema() {
    Json schema = images_output_schema();
    schema["properties"]["job_id"] = {{"type", "string"}};
    schema["properties"]["status"] = {
        {"type", "string"},
        {"description",
         "pending, running, succeeded, failed, or unknown (it could not be checked "
         "this time: call again)"}};
    schema["properties"]["done"] = {{"type", "boolean"}};
    return schema;
}

// The caller's jobs: on v2 the API's own list of the key's tasks (from any process, replica or
// earlier run), merged with what this server recorded of the ones it started (their job ids,
// styles and prompts); on v1 only the latter. Newest first.
struct JobListing {
    std::vector<LedgerEntry> jobs;
    // v2: the key's other recent paid calls (edit tools, Pixel Fixer, ...) from API Activity,
    // which get_inference_result recovers by request id.
    std::vector<ApiActivity> other_results;
    std::string note;  // why one of the API's lists is missing, when it is
};

// v2: the key's recent calls of other products than generation, newest first.
void add_other_results(JobListing& listing, protocol::RequestContext& context,
                       const JobServices& jobs) {
    auto reply = jobs.upstream->get("/inferences/requests?limit=20", context);
    if (!reply.ok()) {
        listing.note += std::string(listing.note.empty() ? "" : " ") +
                        "The API's activity list could not be read (" + reply.error->summary() +
                        ").";
        return;
    }
    for (auto& item : reply.body.get<ActivityPage>().items) {
        if (item.operation != "inference" && is_upstream_task_id(item.request_id)) {
            listing.other_results.push_back(std::move(item));
        }
    }
}

JobListing list_jobs(protocol::RequestContext& context, const JobServices& jobs) {
    JobListing listing;
    listing.jobs = jobs.ledger->jobs_of(context.api_key);
    if (jobs.upstream->config().api_version == ApiVersion::V1) return listing;
    add_other_results(listing, context, jobs);
    auto reply = jobs.upstream->get("/inferences/tasks?limit=50", context);
    if (!reply.ok()) {
        listing.note = "The API's task list could not be read (" + reply.error->summary() +
                       "): only the jobs this server started are shown." + listing.note;
        return listing;
    }
    for (const auto& task : reply.body.get<TaskList>().tasks) {
        auto known = std::find_if(listing.jobs.begin(), listing.jobs.end(), [&](const auto& job) {
            return job.upstream_task_id == task.task_id;
        });
        if (known != listing.jobs.end()) {
            if (!task.status.empty()) known->last_status = task.status;
            continue;
        }
        if (!is_upstream_task_id(task.task_id)) continue;  // never handed on as an id to use
        LedgerEntry found;
        found.job_id = task.task_id;  // get_inference_job takes a bare task id
        found.upstream_task_id = task.task_id;
        found.created_at_ms = task.created_at_ms;
        found.last_status = task.status.empty() ? std::string("unknown") : task.status;
        listing.jobs.push_back(std::move(found));
    }
    std::stable_sort(listing.jobs.begin(), listing.jobs.end(), [](const auto& a, const auto& b) {
        return a.created_at_ms > b.created_at_ms;
    });
    return listing;
}

protocol::ToolResult invalid_job_id() {
    return protocol::ToolResult::error(
        "This job_id is not valid for your API key: it was altered, or the job was started with "
        "another key. Use the job_id exactly as start_inference_job returned it, or find it with "
        "list_inference_jobs.");
}

}  // namespace

protocol::Tool make_start_inference_job_tool(std::shared_ptr<const JobServices> jobs) {
    Json arguments = inference_input_schema(jobs->config.local_files_allowed);
    arguments["properties"].erase(kOutputDirArgument);  // images are saved when fetched
    arguments["properties"].erase("async");             // a job is always async
    for (const char* later : {kSaveToArgument, kFilenameArgument, kFramesArgument}) {
        arguments["properties"].erase(later);  // see below
    }
    // Beside create_inference, the arguments are its own (listed there once; checked here in
    // full); without the generate group they are listed here.
    const auto& offered = jobs->config.toolsets;
    const bool listed_beside = offered.empty() || offered.count("generate");
    protocol::ToolDefinition definition{
        .name = "start_inference_job",
        .title = "Start a generation job",
        .description =
            "create_inference (same arguments) as a job: a job_id at once, for animations and long "
            "batches; poll get_inference_job every 2-5 s. Never start it twice: "
            "list_inference_jobs finds a lost job_id.",
        .input_schema =
            listed_beside ? inference_core_schema(jobs->config.local_files_allowed) : arguments,
        .checked_schema = arguments,
        .output_schema = job_status_schema(),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = true},
    };
    auto handler = [jobs](const Json& arguments, protocol::RequestContext& context) {
        const auto live = cached_styles(jobs->styles, context.api_key);
        auto built = build_inference_request(
            arguments, {.allow_local_files = jobs->config.local_files_allowed}, live.get());
        if (auto* problem = std::get_if<std::string>(&built))
            return rejected_before_sending(*problem);
        auto& request = std::get<InferenceRequest>(built);
        if (request.controls.check_cost) return rejected_before_sending(price_only_refusal());
        if (request.save_arguments.into_project() || request.save_arguments.frames) {
            // A job's images are saved when they are fetched, by another call.
            return rejected_before_sending(
                "save_to, filename and frames belong to create_inference, which waits for the "
                "images and saves them; a job's images come from get_inference_job (output_dir), "
                "or use create_inference instead");
        }
        auto authorized =
            authorize_generation("start_inference_job", request, arguments, context, *jobs);
        if (auto* stop = std::get_if<protocol::ToolResult>(&authorized)) return std::move(*stop);
        auto& spend = std::get<SpendPermit>(authorized);
        auto result = submission_result(submit_job(request, context, *jobs, &spend));
        spend.annotate(result);
        return result;
    };
    return {std::move(definition), handler};
}

protocol::Tool make_get_inference_job_tool(std::shared_ptr<const JobServices> jobs) {
    Json properties = {{"job_id", {{"type", "string"}, {"minLength", 1}}}};
    if (jobs->config.local_files_allowed) {
        properties[kOutputDirArgument] = {{"type", "string"}, {"minLength", 1}};
    }
    protocol::ToolDefinition definition{
        .name = "get_inference_job",
        .title = "Check a generation job",
        .description =
            "A generation job's state; when done, its images as create_inference returns them. "
            "Free.",
        .input_schema = {{"type", "object"},
                         {"properties", properties},
                         {"required", {"job_id"}},
                         {"additionalProperties", false}},
        .output_schema = job_result_schema(),
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
    auto handler = [jobs](const Json& arguments, protocol::RequestContext& context) {
        const std::string job_id = arguments.at("job_id").get<std::string>();
        auto job = job_for_id(job_id, context.api_key, *jobs);
        if (!job) return invalid_job_id();
        auto poll = poll_job(job_id, *job, context, *jobs,
                             {.output_dir = arguments.value(kOutputDirArgument, std::string())});
        if (poll.state == JobState::Pending || poll.state == JobState::Running ||
            poll.state == JobState::Unreadable) {
            const bool unread = poll.state == JobState::Unreadable;
            auto result = protocol::ToolResult::text(
                unread
                    ? "Could not check the job just now (" + poll.lookup_problem +
                          "). It is not lost and goes on at RetroDiffusion: call "
                          "get_inference_job again in a few seconds; do not start it again."
                    : "The job is still " +
                          (poll.upstream_status.empty() ? std::string("pending")
                                                        : poll.upstream_status) +
                          ". Call get_inference_job again in 2-5 seconds; do not start it again.");
            result.structured_content =
                Json{{"job_id", job_id},
                     {"status", unread ? std::string("unknown") : poll.upstream_status},
                     {"done", false},
                     {"images", Json::array()},
                     {"inline", true}};
            if (is_signed_job_id(job_id)) result.content.push_back(job_resource_link(job_id));
            return result;
        }
        auto result = std::move(*poll.result);
        if (is_signed_job_id(job_id)) result.content.push_back(job_resource_link(job_id));
        if (result.structured_content) {
            (*result.structured_content)["job_id"] = job_id;
            (*result.structured_content)["status"] = poll.upstream_status;
            (*result.structured_content)["done"] = true;
        }
        return result;
    };
    return {std::move(definition), handler};
}

protocol::Tool make_list_inference_jobs_tool(std::shared_ptr<const JobServices> jobs) {
    Json job = {{"type", "object"},
                {"properties",
                 {{"job_id", {{"type", "string"}}},
                  {"upstream_task_id", {{"type", "string"}}},
                  {"prompt_style", {{"type", "string"}}},
                  {"prompt", {{"type", "string"}}},
                  {"created_at", {{"type", "string"}}},
                  {"last_status", {{"type", "string"}}}}}};
    protocol::ToolDefinition definition{
        .name = "list_inference_jobs",
        .title = "List generation jobs",
        .description =
            "This key's generation jobs with their status, so a lost job_id is never paid twice. "
            "Free.",
        .input_schema = {{"type", "object"},
                         {"properties", Json::object()},
                         {"additionalProperties", false}},
        .output_schema = Json{{"type", "object"},
                              {"properties",
                               {{"count", {{"type", "integer"}}},
                                {"jobs", {{"type", "array"}, {"items", job}}},
                                {"other_results",
                                 {{"type", "array"},
                                  {"description",
                                   "API v2: recent edit-tool, Pixel Fixer and other paid calls; "
                                   "get_inference_result recovers them by request_id."},
                                  {"items",
                                   {{"type", "object"},
                                    {"properties",
                                     {{"request_id", {{"type", "string"}}},
                                      {"operation", {{"type", "string"}}},
                                      {"status", {{"type", "string"}}},
                                      {"created_at", {{"type", "string"}}}}},
                                    {"required", {"request_id", "operation", "status"}}}}}}}},
                              {"required", {"count", "jobs"}}},
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = false},
    };
    auto handler = [jobs](const Json&, protocol::RequestContext& context) {
        if (context.api_key.empty()) {
            return protocol::ToolResult::error(
                "No API key was provided, so there are no jobs to list: jobs belong to the key "
                "that started them. Set RD_API_KEY (local) or send `Authorization: Bearer <key>` "
                "(hosted).");
        }
        auto listing = list_jobs(context, *jobs);
        Json list = Json::array();
        std::string text;
        for (const auto& entry : listing.jobs) {
            const std::string created = protocol::iso8601_utc(entry.created_at_ms);
            list.push_back({{"job_id", entry.job_id},
                            {"upstream_task_id", entry.upstream_task_id},
                            {"prompt_style", entry.prompt_style},
                            {"prompt", entry.prompt},
                            {"created_at", created},
                            {"last_status", entry.last_status}});
            text +=
                "\n- " + created + " " +
                (entry.prompt_style.empty() ? std::string("(started elsewhere)")
                                            : entry.prompt_style + " \"" + entry.prompt + "\"") +
                " (" + entry.last_status + "): " + entry.job_id;
        }
        const std::size_t count = list.size();
        std::string headline = count == 0 ? std::string("No jobs started with your key are known.")
                                          : std::to_string(count) + " job" +
                                                (count == 1 ? "" : "s") + ", newest first:";
        Json others = Json::array();
        if (!listing.other_results.empty()) {
            text += "\nOther recent paid calls (get_inference_result with the request_id):";
        }
        for (const auto& other : listing.other_results) {
            Json entry = {{"request_id", other.request_id},
                          {"operation", other.operation},
                          {"status", other.status}};
            if (other.created_at) entry["created_at"] = *other.created_at;
            text += "\n- " + other.created_at.value_or("") + " " + other.operation + " (" +
                    other.status + "): " + other.request_id;
            others.push_back(std::move(entry));
        }
        if (!listing.note.empty()) headline = listing.note + " " + headline;
        auto result = protocol::ToolResult::text(headline + text);
        result.structured_content = Json{{"count", count}, {"jobs", std::move(list)}};
        if (!others.empty()) (*result.structured_content)["other_results"] = std::move(others);
        return result;
    };
    return {std::move(definition), handler};
}

}  // namespace rdmcp::tools
