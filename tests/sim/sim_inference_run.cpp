#include "sim_inference_run.h"

#include <ctime>

#include "sim_http.h"
#include "sim_inference_output.h"

namespace rdsim {
namespace {

std::string iso_time(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    return text;
}

// The documented generation types: a start image makes img2img, a palette-only style txt2pal.
std::string inference_type(const InferenceRequest& req) {
    if (req.input_image) return "img2img";
    return "txt2img";
}

}  // namespace

nlohmann::json created_at(const SimConfig& config, std::int64_t unix_seconds) {
    if (!config.created_at_iso) return unix_seconds;
    return iso_time(unix_seconds);
}

ResolvedStyle resolve_style(Ctx& ctx, const std::string& key, const std::string& prompt_style) {
    if (prompt_style.rfind("user__", 0) == 0) {
        if (ctx.state.find_style(key, prompt_style)) return {user_style_spec(prompt_style), 0, {}};
        return {std::nullopt, 404, "Style '" + prompt_style + "' not found."};
    }
    if (auto s = find_current_style(ctx.state.config().styles, prompt_style)) return {*s, 0, {}};
    return {std::nullopt, 400, "Unknown prompt_style '" + prompt_style + "'."};
}

void send_style_error(httplib::Response& res, const ResolvedStyle& resolved) {
    if (resolved.status == 404)
        return send_json(res, 404, detail_error("style_not_found", resolved.message));
    send_invalid(res, resolved.message);
}

nlohmann::json inference_run(Ctx& ctx, const Call& call, Micros cost, Micros remaining,
                             const InferenceRequest& req, const StyleSpec& style,
                             nlohmann::json outputs) {
    const SimConfig config = ctx.state.config();
    const std::int64_t now = ctx.state.now_ms() / 1000;
    if (!call.v2()) {
        // The API is a FastAPI service: every field of its response model is sent, unset
        // ones as null (the newer document's examples omit them; clients must take both).
        nlohmann::json body = {{"created_at", created_at(config, unix_now())},
                               {"balance_cost", micros_to_usd(cost)},
                               {"output_images", nullptr},
                               {"base64_images", outputs["base64_images"]},
                               {"output_urls", nullptr},
                               {"downloadable_data", nullptr},
                               {"model", style.model},
                               {"remaining_balance", micros_to_usd(remaining)}};
        for (const char* extra : {"output_urls", "downloadable_data"}) {
            if (outputs.contains(extra)) body[extra] = outputs[extra];
        }
        return body;
    }
    // v2's InferenceRun: "null fields omitted"; credit_cost is legacy (the balance is USD).
    nlohmann::json body = {{"created_at", created_at(config, now)},
                           {"balance_cost", micros_to_usd(cost)},
                           {"credit_cost", 0},
                           {"base64_images", outputs["base64_images"]},
                           {"model", style.model},
                           {"type", inference_type(req)},
                           {"request_id", call.request_id},
                           {"remaining_balance", micros_to_usd(remaining)},
                           {"outputs_retained_until", iso_time(now + kOutputsKeptMs / 1000)}};
    if (outputs.contains("output_urls")) {
        body["output_urls"] = outputs["output_urls"];
        body["output_url_expires_at"] = iso_time(now + kOutputsKeptMs / 1000);
    }
    if (outputs.contains("downloadable_data"))
        body["downloadable_data"] = outputs["downloadable_data"];
    return body;
}

nlohmann::json cost_check_body(Ctx& ctx, const Call& call, Micros cost) {
    const double balance = micros_to_usd(ctx.state.balance(call.key).value_or(0));
    if (call.v2()) {
        // As the document's example: {"balance_cost","model","base64_images","remaining_balance"}.
        return {{"balance_cost", micros_to_usd(cost)},
                {"model", "check_cost"},
                {"base64_images", nlohmann::json::array()},
                {"remaining_balance", balance}};
    }
    return {{"created_at", created_at(ctx.state.config(), unix_now())},
            {"balance_cost", micros_to_usd(cost)},
            {"output_images", nlohmann::json::array()},
            {"base64_images", nlohmann::json::array()},
            {"output_urls", nlohmann::json::array()},
            {"model", "check_cost"},
            {"remaining_balance", balance}};
}

Task inference_task(Ctx& ctx, const Call& call, const httplib::Request& http,
                    const InferenceRequest& req, const StyleSpec& style, Micros cost) {
    Task task;
    task.id = call.request_id;  // v2: request_id == task_id, also the API Activity id
    task.key = call.key;
    task.path = http.path;
    task.duration_ms = ctx.state.config().async_duration_ms;
    task.will_fail = req.prompt.find(kFailWord) != std::string::npos;
    task.cost = cost;
    if (!task.will_fail) {
        nlohmann::json outputs = render_inference_outputs(ctx, call, req, style);
        // remaining_balance is the balance right after the charge, as the API reports it.
        const Micros remaining = ctx.state.balance(call.key).value_or(0) - cost;
        task.result = inference_run(ctx, call, cost, remaining, req, style, std::move(outputs));
        if (call.activity) task.outputs = call.activity->entry.outputs;
    }
    return task;
}

}  // namespace rdsim
