// get_lowpoly_job: GET /lowpoly/tasks/{task_id} for a job id start_lowpoly_* handed out. A
// finished job comes back with the model's render and turntable as images (fetched within the
// inline budget, like hosted generation outputs), and its versions, animations and stats as
// structuredContent.
#include "tools/agent_errors.h"
#include "tools/api_fields.h"
#include "tools/generated_images.h"
#include "tools/hosted_outputs.h"
#include "tools/inference_jobs.h"
#include "tools/lowpoly_job_token.h"
#include "tools/lowpoly_tools.h"
#include "tools/read_retry.h"
#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

using protocol::Json;
using protocol::ToolResult;

namespace {

constexpr int kMaxWaitSeconds = 120;

Json lowpoly_job_output_schema() {
    Json schema = images_output_schema();
    schema.erase("required");
    auto& properties = schema["properties"];
    properties["job_id"] = {{"type", "string"}};
    properties["status"] = {{"type", "string"},
                            {"description", "pending, running, succeeded or failed"}};
    properties["task_id"] = {{"type", "string"}};
    properties["asset_id"] = nullable("string");
    properties["operation"] = nullable("string");
    properties["model"] = lowpoly_model_schema();
    properties["model"]["type"] = "object";
    properties["animation"] = nullable("string", "The new animation's name (animate).");
    properties["pieces"] = {{"type", "array"},
                            {"description", "The models a split made."},
                            {"items", lowpoly_model_schema()}};
    properties["error"] = nullable("object");
    properties["created_at"] = nullable("string");
    properties["updated_at"] = nullable("string");
    schema["required"] = {"job_id", "status"};
    return schema;
}

// The job's own fields, as the API answered them.
Json job_fields(const std::string& job_id, const LowPolyJob& job, const Json& body) {
    Json fields = {{"job_id", job_id},
                   {"task_id", job.task_id},
                   {"asset_id", job.asset_id},
                   {"operation", job.operation}};
    for (const char* name : {"status", "asset_id", "operation", "animation", "pieces", "error",
                             "created_at", "updated_at"}) {
        if (const Json* value = member_in(body, name)) fields[name] = *value;
    }
    if (const Json* model = member_in(body, "result")) fields["model"] = *model;
    if (!fields.contains("status")) fields["status"] = "unknown";
    return fields;
}

ToolResult failed(const Json& fields, const LowPolyJob& job) {
    std::string text =
        "The Low-Poly " + job.operation + " job on model " + job.asset_id + " failed";
    const Json* error = member_in(fields, "error");
    if (error && error->is_object()) {
        if (auto code = text_in(*error, "code")) text += " (" + *code + ")";
        if (auto message = text_in(*error, "message")) text += ": " + *message;
    }
    text += ". Failed jobs are refunded.";
    const auto code = error && error->is_object() ? text_in(*error, "code") : std::nullopt;
    if (code == "lowpoly_split_failed") {
        text += " The model holds a single object: there is nothing to split.";
    } else {
        text += " Fix what the message names, or start it again.";
    }
    auto result = ToolResult::error(std::move(text));
    result.structured_content = without_nulls(fields);
    return result;
}

// The render and turntable of the model's latest version, as images to show.
GeneratedImages renders(const Json& model) {
    GeneratedImages images;
    const Json* versions = member_in(model, "versions");
    if (!versions || !versions->is_array() || versions->empty()) return images;
    const Json& latest = versions->back();
    for (const char* name : {"render_url", "turntable_url"}) {
        if (auto url = text_in(latest, name)) {
            images.output_urls.push_back(*url);
            images.labels.push_back(std::string(name).substr(0, std::string(name).find('_')));
        }
    }
    return images;
}

ToolResult succeeded(Json fields, const LowPolyJob& job, protocol::RequestContext& context,
                     const LowPolyServices& services) {
    const Json model =
        fields.contains("model") && fields["model"].is_object() ? fields["model"] : Json::object();
    std::string headline = "The Low-Poly " + job.operation + " job succeeded. " +
                           (model.empty() ? "Model " + job.asset_id + "." : describe_model(model));
    if (auto animation = text_in(fields, "animation")) {
        headline += " New animation: " + *animation + ".";
    }
    if (const Json* pieces = member_in(fields, "pieces"); pieces && pieces->is_array()) {
        headline += " Split into " + std::to_string(pieces->size()) + " models:";
        for (const auto& piece : *pieces) {
            headline += " " + text_in(piece, "asset_id").value_or("?");
        }
        headline += ".";
    }
    headline += " export_lowpoly_model makes files of it (glb, obj, gif, mp4 and more)";
    auto images = renders(model);
    ToolResult result;
    if (images.output_urls.empty()) {
        result = ToolResult::text(as_sentence(std::move(headline)));
        fields["images"] = Json::array();
        fields["inline"] = false;
        result.structured_content = without_nulls(std::move(fields));
        return result;
    }
    const std::string not_inlined = inline_hosted_outputs(images, *services.upstream, context);
    if (!not_inlined.empty()) headline += " " + not_inlined;
    result = render_images(
        std::move(images),
        {.headline = std::move(headline), .file_stem = "lowpoly-" + job.asset_id, .output_dir = ""},
        services.config);
    if (!result.structured_content) result.structured_content = Json::object();
    for (auto& [name, value] : fields.items()) (*result.structured_content)[name] = value;
    return result;
}

}  // namespace

LowPolyJobLook look_at_lowpoly_job(const std::string& job_id, const LowPolyJob& job,
                                   protocol::RequestContext& context,
                                   const LowPolyServices& services) {
    LowPolyJobLook look;
    auto reply = services.upstream->get("/lowpoly/tasks/" + job.task_id, context);
    if (!reply.ok()) {
        if (reply.error->kind == UpstreamError::Kind::Http && reply.error->status == 404) {
            look.unknown_job = true;
            look.ended = tool_error_for(*reply.error, "Reading the Low-Poly job");
        } else {
            // A look-up that failed says nothing about the job: it goes on, and was paid for.
            look.problem = reply.error->summary();
        }
        return look;
    }
    Json fields = job_fields(job_id, job, reply.body);
    look.status = fields["status"].is_string() ? fields["status"].get<std::string>() : "unknown";
    if (look.status == "failed") {
        look.ended = failed(fields, job);
    } else if (look.status == "succeeded") {
        look.ended = succeeded(std::move(fields), job, context, services);
    } else {
        look.fields = std::move(fields);
    }
    return look;
}

protocol::Task lowpoly_task(const std::string& job_id, const LowPolyJob& job,
                            const LowPolyJobLook& look) {
    protocol::Task task;
    task.task_id = job_id;
    task.created_at = protocol::iso8601_utc(job.created_at_ms ? job.created_at_ms : unix_now_ms());
    task.last_updated_at = protocol::iso8601_utc(unix_now_ms());
    task.ttl_ms = kLowPolyTaskTtlMs;
    task.poll_interval_ms = kLowPolyPollIntervalMs;
    if (look.ended) {
        // A failed job is a tool error (isError), not a JSON-RPC error: "completed".
        task.status = protocol::TaskStatus::Completed;
        task.result = look.ended->to_json();
        task.status_message = look.ended->is_error ? "The job failed." : "Done.";
    } else {
        task.status = protocol::TaskStatus::Working;
        task.status_message = look.problem.empty()
                                  ? "Low-Poly " + job.operation + " job " + look.status +
                                        "; poll tasks/get every 10-20 s."
                                  : "Could not check the Low-Poly job just now (" + look.problem +
                                        "); it goes on. Poll tasks/get again.";
    }
    return task;
}

protocol::Tool make_get_lowpoly_job_tool(LowPolyPtr lowpoly) {
    protocol::ToolDefinition definition{
        .name = "get_lowpoly_job",
        .title = "Check a Low-Poly 3D job",
        .description =
            "A Low-Poly job: running (poll in 10-20 s), failed (refunded) or done with the model. "
            "Free.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"job_id", {{"type", "string"}}},
                           {"wait_seconds",
                            {{"type", "integer"},
                             {"minimum", 0},
                             {"maximum", kMaxWaitSeconds},
                             {"description", "Wait this long for the end (default 0)."}}}}},
                         {"required", {"job_id"}}},
        .output_schema = lowpoly_job_output_schema(),
        .annotations = {.read_only = true,
                        .destructive = false,
                        .idempotent = true,
                        .open_world = true},
    };
    auto handler = [lowpoly](const Json& arguments, protocol::RequestContext& context) {
        const std::string job_id = text_in(arguments, "job_id").value_or("");
        auto job = verify_lowpoly_job(job_id, context.api_key, lowpoly->config.job_secret);
        if (!job) {
            return rejected_before_sending(
                "'job_id' is not a Low-Poly job id this server gave to this API key (they start "
                "with \"rdlp1.\" and come from start_lowpoly_*); list_lowpoly_models shows each "
                "model's running job");
        }
        const auto wait = std::chrono::seconds(
            static_cast<long long>(number_in(arguments, "wait_seconds").value_or(0)));
        const auto deadline = std::chrono::steady_clock::now() + wait;
        // Progress flows only while the call waits (for a client that asked for it).
        std::unique_ptr<protocol::ProgressScope> progress;
        if (wait.count() > 0) {
            progress = context.report_progress_while(
                "Waiting for the Low-Poly " + job->operation + " job on model " + job->asset_id,
                lowpoly->config.progress_interval);
        }
        // Quick at first (small models finish in a minute), then every 10 s as the API asks.
        auto interval = std::chrono::milliseconds(1000);
        auto wait_more = [&] {
            if (std::chrono::steady_clock::now() + interval >= deadline) return false;
            if (!wait_unless_cancelled(interval, context.cancellation.get())) return false;
            interval = std::min(interval * 2, std::chrono::milliseconds(10000));
            return true;
        };
        for (;;) {
            auto look = look_at_lowpoly_job(job_id, *job, context, *lowpoly);
            if (look.ended) return std::move(*look.ended);
            if (wait_more()) continue;
            if (!look.problem.empty()) {
                auto result = ToolResult::text(
                    "The Low-Poly " + job->operation + " job on model " + job->asset_id +
                    " could not be checked just now (" + look.problem +
                    "); it goes on and is paid for. Call get_lowpoly_job again in 10-20 seconds.");
                result.structured_content =
                    Json{{"job_id", job_id}, {"status", "unknown"}, {"task_id", job->task_id}};
                return result;
            }
            auto result = ToolResult::text("The Low-Poly " + job->operation + " job on model " +
                                           job->asset_id + " is " + look.status +
                                           ". Call get_lowpoly_job again in 10-20 seconds (or "
                                           "with wait_seconds to wait for it).");
            result.structured_content = without_nulls(std::move(look.fields));
            return result;
        }
    };
    return {definition, handler};
}

}  // namespace rdmcp::tools
