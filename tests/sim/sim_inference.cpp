// POST /v1/inferences (sync, check_cost, async), GET /v1/inferences/tasks/{id},
// GET /v1/inferences/credits.
#include <ctime>
#include <variant>

#include "sim_http.h"
#include "sim_inference_output.h"
#include "sim_inference_request.h"
#include "sim_pricing.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

constexpr const char* kFailWord = "FAILME";

json created_at(const SimConfig& config) {
    const std::int64_t now = unix_now();
    if (!config.created_at_iso) return now;
    const std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    return text;
}

struct ResolvedStyle {
    std::optional<StyleSpec> spec;
    int status = 0;  // when no spec: 400 unknown public style, 404 unknown user style
    std::string message;
};

ResolvedStyle resolve_style(Ctx& ctx, const std::string& key, const std::string& prompt_style) {
    if (prompt_style.rfind("user__", 0) == 0) {
        if (ctx.state.find_style(key, prompt_style)) return {user_style_spec(prompt_style), 0, {}};
        return {std::nullopt, 404, "Style '" + prompt_style + "' not found."};
    }
    if (const StyleSpec* s = find_public_style(prompt_style)) return {*s, 0, {}};
    return {std::nullopt, 400, "Unknown prompt_style '" + prompt_style + "'."};
}

json success_body(const SimConfig& config, Micros cost, Micros remaining, const StyleSpec& style,
                  json outputs) {
    // The API is a FastAPI service: every field of its response model is sent, unset ones as
    // null (the newer document's examples omit them; clients must take both).
    json body = {{"created_at", created_at(config)},
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

void handle_inference(Ctx& ctx, const httplib::Request& http, httplib::Response& res,
                      const std::string& key) {
    const auto body = read_json_object(http, res);
    if (!body) return;
    auto parsed = parse_inference(*body);
    if (auto* issues = std::get_if<json>(&parsed)) return send_validation(res, *issues);
    const InferenceRequest& req = std::get<InferenceRequest>(parsed);

    const ResolvedStyle resolved = resolve_style(ctx, key, req.prompt_style);
    if (!resolved.spec) {
        if (resolved.status == 404)
            return send_json(res, 404, detail_error("style_not_found", resolved.message));
        return send_invalid(res, resolved.message);
    }
    const StyleSpec& style = *resolved.spec;
    if (auto err = check_inference_rules(req, style)) return send_invalid(res, *err);

    const Micros cost = inference_cost(style, req.width, req.height, req.num_images);
    const SimConfig config = ctx.state.config();
    if (req.check_cost) {
        return send_json(
            res, 200,
            {{"created_at", created_at(config)},
             {"balance_cost", micros_to_usd(cost)},
             {"output_images", json::array()},
             {"base64_images", json::array()},
             {"output_urls", json::array()},
             {"model", "check_cost"},
             {"remaining_balance", micros_to_usd(ctx.state.balance(key).value_or(0))}});
    }

    const auto remaining = ctx.state.charge(key, cost, http.path + " " + style.id);
    if (!remaining) return send_not_enough_balance(res);
    const bool will_fail = req.prompt.find(kFailWord) != std::string::npos;

    if (req.async) {
        Task task;
        task.id = ctx.state.new_uuid();
        task.key = key;
        task.path = http.path;
        task.accepted = std::chrono::steady_clock::now();
        task.duration_ms = config.async_duration_ms;
        task.will_fail = will_fail;
        task.cost = cost;
        if (!will_fail)
            task.result = success_body(config, cost, *remaining, style,
                                       render_inference_outputs(ctx, req, style));
        const std::string id = task.id;
        ctx.state.add_task(std::move(task));
        return send_json(res, 200,
                         {{"status", "accepted"},
                          {"task_id", id},
                          {"message",
                           "Inference accepted. Poll GET /v1/inferences/tasks/{task_id} for "
                           "status."}});
    }

    simulate_latency(ctx);
    if (will_fail) {
        ctx.state.refund(key, cost, http.path + " " + style.id + " failed");
        return send_json(res, 500, detail_error("inference_failed", "Unable to run inference."));
    }
    send_json(
        res, 200,
        success_body(config, cost, *remaining, style, render_inference_outputs(ctx, req, style)));
}

}  // namespace

void register_inference_routes(httplib::Server& svr, Ctx& ctx) {
    svr.Post("/v1/inferences", public_route(ctx, Auth::Token,
                                            [&ctx](const httplib::Request& req,
                                                   httplib::Response& res, const std::string& key) {
                                                handle_inference(ctx, req, res, key);
                                            }));

    svr.Get(
        R"(/v1/inferences/tasks/([^/]+))",
        public_route(
            ctx, Auth::Token,
            [&ctx](const httplib::Request& req, httplib::Response& res, const std::string& key) {
                const auto view = ctx.state.task_view(key, req.matches[1].str());
                if (!view)
                    return send_json(res, 404, detail_error("task_not_found", "Task not found."));
                send_json(res, 200, *view);
            }));

    svr.Get("/v1/inferences/credits",
            public_route(
                ctx, Auth::Credits,
                [&ctx](const httplib::Request&, httplib::Response& res, const std::string& key) {
                    // The balance is a real round trip to the API: it takes the configured
                    // latency too, so tests can hold a cheap call in flight.
                    simulate_latency(ctx);
                    send_json(res, 200,
                              {{"credits", 0},
                               {"balance", micros_to_usd(ctx.state.balance(key).value_or(0))}});
                }));
}

}  // namespace rdsim
