// POST /v1/inferences (sync, check_cost, async), GET /v1/inferences/tasks/{id},
// GET /v{1,2}/inferences/credits.
#include <variant>

#include "sim_http.h"
#include "sim_inference_output.h"
#include "sim_inference_request.h"
#include "sim_inference_run.h"
#include "sim_pricing.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

void handle_inference(Ctx& ctx, const httplib::Request& http, httplib::Response& res,
                      const Call& call) {
    const auto body = read_json_object(http, res);
    if (!body) return;
    auto parsed = parse_inference(*body, /*v2=*/false);
    if (auto* issues = std::get_if<json>(&parsed)) return send_validation(res, *issues);
    const InferenceRequest& req = std::get<InferenceRequest>(parsed);

    const ResolvedStyle resolved = resolve_style(ctx, call.key, req.prompt_style);
    if (!resolved.spec) return send_style_error(res, resolved);
    const StyleSpec& style = *resolved.spec;
    if (auto err = check_inference_rules(req, style)) return send_invalid(res, *err);

    const Micros cost = inference_cost(style, req.width, req.height, req.num_images);
    if (req.check_cost) {
        call.activity->skip = true;  // a free dry run, not a generation
        return send_json(res, 200, cost_check_body(ctx, call, cost));
    }

    if (req.async) {
        Task task = inference_task(ctx, call, http, req, style, cost);
        const std::string id = task.id;
        const Admission admitted =
            ctx.state.admit_task(std::move(task), call.activity->entry, "", nullptr, nullptr);
        if (admitted.outcome == Admission::Outcome::NoBalance)
            return send_no_balance(ctx, res, call, cost);
        call.activity->skip = true;  // admit_task stored the entry
        return send_json(res, 200,
                         {{"status", "accepted"},
                          {"task_id", id},
                          {"message",
                           "Inference accepted. Poll GET /v1/inferences/tasks/{task_id} for "
                           "status."}});
    }

    const auto remaining = ctx.state.charge(call.key, cost, http.path + " " + style.id);
    if (!remaining) return send_no_balance(ctx, res, call, cost);
    call.activity->entry.cost = cost;
    call.activity->entry.charged = true;
    simulate_latency(ctx);
    if (req.prompt.find(kFailWord) != std::string::npos) {
        ctx.state.refund(call.key, cost, http.path + " " + style.id + " failed");
        call.activity->entry.charged = false;
        return send_json(res, 500, detail_error("inference_failed", "Unable to run inference."));
    }
    json outputs = render_inference_outputs(ctx, call, req, style);
    send_json(res, 200, inference_run(ctx, call, cost, *remaining, req, style, std::move(outputs)));
}

}  // namespace

void register_inference_routes(httplib::Server& svr, Ctx& ctx) {
    svr.Post("/v1/inferences",
             public_route(
                 ctx, Auth::Token,
                 [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                     handle_inference(ctx, req, res, call);
                 },
                 "inference"));

    svr.Get(
        R"(/v1/inferences/tasks/([^/]+))",
        public_route(ctx, Auth::Token,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                         const auto view = ctx.state.task_view(call.key, req.matches[1].str());
                         if (!view)
                             return send_json(res, 404,
                                              detail_error("task_not_found", "Task not found."));
                         send_json(res, 200, *view);
                     }));

    for (const std::string prefix : kApiPrefixes) {
        svr.Get(prefix + "/inferences/credits",
                public_route(
                    ctx, Auth::Credits,
                    [&ctx](const httplib::Request&, httplib::Response& res, const Call& call) {
                        // The balance is a real round trip to the API: it takes the
                        // configured latency too, so tests can hold a cheap call in
                        // flight.
                        simulate_latency(ctx);
                        send_json(
                            res, 200,
                            {{"credits", 0},
                             {"balance", micros_to_usd(ctx.state.balance(call.key).value_or(0))}});
                    }));
    }
}

}  // namespace rdsim
