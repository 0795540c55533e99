// create_inference: POST /v1/inferences — images, animations and tilesets, checked against the
// style catalog first so a request bound to fail costs nothing.

#include <chrono>
#include <thread>

#include "tools/agent_errors.h"
#include "tools/api_answers.h"
#include "tools/error_catalog.h"
#include "tools/generated_images.h"
#include "tools/hosted_outputs.h"
#include "tools/inference_jobs.h"
#include "tools/inference_request.h"
#include "tools/price_quotes.h"
#include "tools/project_save.h"
#include "tools/read_retry.h"
#include "tools/retrodiffusion_tools.h"
#include "tools/usd.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// The images; or, for async: true, the job to poll (no images yet).
Json create_inference_output_schema() {
    Json schema = images_output_schema();
    auto& properties = schema["properties"];
    properties["job_id"] = {{"type", "string"},
                            {"description", "async: true only. Pass to get_inference_job."}};
    properties["upstream_task_id"] = {{"type", "string"}};
    properties["status"] = {{"type", "string"}, {"description", "async: true only: accepted"}};
    properties["estimated_cost"] = {{"type", "number"}, {"description", "USD"}};
    properties["poll_interval_seconds"] = {{"type", "number"}};
    properties["spend"] = spend_schema();
    return schema;
}

protocol::ToolDefinition create_inference_definition(const ToolsConfig& config) {
    return {
        .name = "create_inference",
        .title = "Generate pixel art",
        .description =
            "Generates pixel-art images, animations (GIF) or tilesets. Costs money: price it with "
            "estimate_inference_cost (free); styles, sizes, prices: list_available_styles. Limits "
            "are checked before anything is charged. async: true answers with a job_id at once.",
        .input_schema = inference_input_schema(config.local_files_allowed),
        .output_schema = create_inference_output_schema(),
        .annotations = {.read_only = false,
                        .destructive = false,
                        .idempotent = false,
                        .open_world = true},
    };
}

std::string headline(const InferenceRequest& request, std::size_t returned) {
    const bool animation = request.style && (request.style->kind == StyleKind::Animation ||
                                             request.style->kind == StyleKind::AdvancedAnimation);
    const std::string what = animation ? "animation"
                             : request.style && request.style->kind == StyleKind::Tileset
                                 ? "tileset"
                                 : "image";
    return "Generated " + std::to_string(returned) + " " + what + (returned == 1 ? "" : "s") +
           " with " + request.prompt_style + " at " + std::to_string(request.width) + "x" +
           std::to_string(request.height);
}

std::string file_stem(const InferenceRequest& request) {
    std::string stem = request.prompt_style;
    if (request.seed) stem += "-seed" + std::to_string(*request.seed);
    return stem;
}

// After "not enough balance": the free dry run says what the request costs and what is left.
std::string shortfall(const UpstreamClient& upstream, const InferenceRequest& request,
                      const protocol::RequestContext& context) {
    Json dry_run = upstream_body(request);
    dry_run["check_cost"] = true;
    auto reply = upstream.post("/inferences", dry_run, request.images, context);
    if (!reply.ok()) return "";
    const auto price = reply.body.get<CostAnswer>();
    std::string text;
    if (price.balance_cost) text += " This request costs " + format_usd(*price.balance_cost) + ".";
    if (price.remaining_balance) {
        text += " The balance is " + format_usd(*price.remaining_balance) + ".";
    }
    return text;
}

ImageDestination destination_of(const InferenceRequest& request) {
    return {.output_dir = request.output_dir, .save = request.save, .frames = request.frames};
}

bool is_animation(const InferenceRequest& request) {
    return request.style && (request.style->kind == StyleKind::Animation ||
                             request.style->kind == StyleKind::AdvancedAnimation);
}

// For clients with the Tasks extension: the work runs as an upstream async job (submitted
// once). Animations answer with a task at once; anything else is awaited for a short while
// and answered directly if it finishes in time, else handed over as a task.
protocol::ToolResult run_as_task(const InferenceRequest& request, protocol::RequestContext& context,
                                 const JobServices& jobs, SpendPermit& spend) {
    auto submitted = submit_job(request, context, jobs, &spend);
    if (auto* error = std::get_if<protocol::ToolResult>(&submitted)) return *error;
    auto& job = std::get<SubmittedJob>(submitted);
    if (job.immediate_result) return *job.immediate_result;

    JobPoll poll;
    poll.upstream_status = "accepted";
    if (!is_animation(request)) {
        const auto deadline = std::chrono::steady_clock::now() + jobs.config.task_inline_wait;
        const auto step = std::chrono::milliseconds(250);
        while (std::chrono::steady_clock::now() + step < deadline && !context.is_cancelled()) {
            std::this_thread::sleep_for(step);
            poll = poll_job(job.job_id, job.job, context, jobs, destination_of(request));
            if (poll.result) return std::move(*poll.result);  // done (or failed) in time
        }
    }
    protocol::ToolResult handed_over;
    handed_over.task = task_for(job.job_id, job.job, poll);
    return handed_over;
}

// v2 admits every generation as a task: submitted once (with its idempotency key), then polled
// until it ends, with progress, so the agent still gets the images in one call. Should it take
// longer than a call waits (the upstream timeout), the job is handed over instead: it was paid
// for and goes on, and get_inference_job fetches its images.
protocol::ToolResult generate_and_wait(const InferenceRequest& request,
                                       protocol::RequestContext& context, const JobServices& jobs,
                                       SpendPermit& spend) {
    auto submitted = submit_job(request, context, jobs, &spend);
    if (std::holds_alternative<protocol::ToolResult>(submitted) ||
        std::get<SubmittedJob>(submitted).immediate_result) {
        return submission_result(std::move(submitted));
    }
    const auto& job = std::get<SubmittedJob>(submitted);
    const auto progress = context.report_progress_while(
        "Waiting for RetroDiffusion to generate with " + request.prompt_style,
        jobs.config.progress_interval);
    const auto deadline = std::chrono::steady_clock::now() + jobs.upstream->config().read_timeout;
    auto interval = std::chrono::milliseconds(500);  // small images are done in a second or two
    while (std::chrono::steady_clock::now() < deadline &&
           wait_unless_cancelled(interval, context.cancellation.get())) {
        auto poll = poll_job(job.job_id, job.job, context, jobs, destination_of(request));
        if (poll.result) return std::move(*poll.result);  // done, failed, or unknown to the API
        interval = std::min(interval * 2, std::chrono::milliseconds(kJobPollIntervalMs));
    }
    auto handed_over = submission_result(std::move(submitted));
    if (!context.is_cancelled()) {
        handed_over.content[0]["text"] =
            "Still generating after " +
            std::to_string(jobs.upstream->config().read_timeout.count()) +
            " s; it goes on and is paid for. " + handed_over.content[0]["text"].get<std::string>();
    }
    return handed_over;
}

}  // namespace

protocol::Tool make_create_inference_tool(JobsPtr jobs) {
    auto handler = [jobs](const Json& arguments, protocol::RequestContext& context) {
        const auto& upstream = jobs->upstream;
        const auto& config = jobs->config;
        const auto live = cached_styles(jobs->styles, context.api_key);
        auto built = build_inference_request(
            arguments, {.allow_local_files = config.local_files_allowed}, live.get());
        if (auto* problem = std::get_if<std::string>(&built)) {
            return rejected_before_sending(*problem);
        }
        auto& request = std::get<InferenceRequest>(built);
        if (request.controls.check_cost) return rejected_before_sending(price_only_refusal());
        // Where the images go is settled before paying: a refused place costs nothing.
        auto save = prepare_save("create_inference", arguments, context, config);
        if (save.answer_now) return std::move(*save.answer_now);
        if (!save.refusal.empty()) return rejected_before_sending(save.refusal);
        request.save = std::move(save.plan);
        request.frames = {.wanted = request.save_arguments.frames && is_animation(request),
                          .frame_width = request.width,
                          .frame_height = request.height};
        auto authorized =
            authorize_generation("create_inference", request, arguments, context, *jobs);
        if (auto* stop = std::get_if<protocol::ToolResult>(&authorized)) {
            ask_roots_again(*stop, save.place);
            return std::move(*stop);
        }
        auto& spend = std::get<SpendPermit>(authorized);
        auto paid = [&spend](protocol::ToolResult result) {
            spend.annotate(result);
            return result;
        };
        if (context.tasks_supported) return paid(run_as_task(request, context, *jobs, spend));
        if (request.controls.async) {
            return paid(submission_result(submit_job(request, context, *jobs, &spend)));
        }
        if (upstream->config().api_version == ApiVersion::V2) {
            return paid(generate_and_wait(request, context, *jobs, spend));
        }

        UpstreamResult reply;
        {
            const auto progress = context.report_progress_while(
                "Waiting for RetroDiffusion to generate with " + request.prompt_style,
                config.progress_interval);
            reply = upstream->post("/inferences", upstream_body(request), request.images, context);
        }
        if (reply.ok() && is_job_answer(reply.body)) {
            // Paid for, and answered with a job instead of images (whatever made the API do
            // so): the job is kept and handed over, never dropped as a failure.
            return paid(submission_result(
                accept_job_answer(reply.body, request, context, *jobs, "", &spend)));
        }
        if (!reply.ok()) {
            if (charged_nothing(*reply.error)) spend.nothing_charged();
            auto result = tool_error_for(*reply.error, "Generating with " + request.prompt_style);
            if (reply.error->kind == UpstreamError::Kind::Http &&
                is_balance_code(reply.error->code)) {
                result.content[0]["text"] = result.content[0]["text"].get<std::string>() +
                                            shortfall(*upstream, request, context);
            }
            return result;
        }

        auto images =
            read_inference_images(reply.body, request.num_images, returns_pre_palette(request),
                                  returns_non_bg_removed(request));
        const auto cost = images.balance_cost ? images.balance_cost : spend.quoted_usd();
        if (cost) spend.settle(*cost);
        if (images.base64_images.empty() && images.output_urls.empty()) {
            return protocol::ToolResult::error(
                "Generating with " + request.prompt_style +
                " returned no images although the API "
                "reported success" +
                (images.balance_cost ? " (cost " + format_usd(*images.balance_cost) + ")" : "") +
                ". Check get_balance; failed generations are normally refunded.");
        }
        const std::size_t returned =
            std::max(images.base64_images.size(), images.output_urls.size());
        const std::string not_inlined = inline_hosted_outputs(images, *upstream, context);
        return paid(render_images(std::move(images),
                                  {.headline = headline(request, returned) +
                                               (not_inlined.empty() ? "" : ". " + not_inlined),
                                   .file_stem = file_stem(request),
                                   .output_dir = request.output_dir,
                                   .save = request.save,
                                   .frames = request.frames},
                                  config));
    };
    return {create_inference_definition(jobs->config), handler};
}

}  // namespace rdmcp::tools
