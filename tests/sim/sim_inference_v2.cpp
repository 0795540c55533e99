// API v2 generation: POST /v2/inferences (always async but for check_cost; Idempotency-Key),
// GET /v2/inferences/tasks/{task_id} and GET /v2/inferences/tasks.
#include <variant>

#include "sim_http.h"
#include "sim_inference_request.h"
#include "sim_inference_run.h"
#include "sim_pricing.h"
#include "sim_routes.h"
#include "sim_v2_errors.h"

namespace rdsim {
namespace {

// "1-256 visible ASCII characters".
bool valid_idempotency_key(const std::string& key) {
    if (key.empty() || key.size() > 256) return false;
    for (const char c : key)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

json accepted_answer(const std::string& task_id) {
    return {{"status", "accepted"},
            {"task_id", task_id},
            {"request_id", task_id},
            {"message", "Inference accepted. Poll GET /v2/inferences/tasks/{task_id} for status."}};
}

// Answers an earlier admission under the same key; true if it did.
bool answer_earlier(const std::optional<Admission>& earlier, httplib::Response& res,
                    const Call& call) {
    if (!earlier) return false;
    if (earlier->outcome == Admission::Outcome::Conflict) {
        send_v2_error(res, call.request_id, "idempotency_conflict",
                      "Idempotency-Key was already used with a different request body.");
        return true;
    }
    call.activity->skip = true;  // the original call's entry stands; nothing new ran
    send_json(res, 200, earlier->answer);
    return true;
}

void handle_inference(Ctx& ctx, const httplib::Request& http, httplib::Response& res,
                      const Call& call) {
    const bool keyed = http.has_header("Idempotency-Key");
    const std::string idempotency_key = http.get_header_value("Idempotency-Key");
    if (keyed && !valid_idempotency_key(idempotency_key))
        return send_v2_error(res, call.request_id, "invalid_idempotency_key",
                             "Idempotency-Key must be 1-256 visible ASCII characters.");
    const auto body = read_json_object(http, res);
    if (!body) return;
    if (keyed && get_bool(*body, "check_cost"))
        return send_v2_error(res, call.request_id, "idempotency_async_required",
                             "Idempotency-Key is only accepted on async inferences, not with "
                             "check_cost.");
    if (keyed &&
        answer_earlier(ctx.state.idempotent_answer(call.key, idempotency_key, *body), res, call))
        return;

    auto parsed = parse_inference(*body, /*v2=*/true);
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
    // `async: true` is accepted and changes nothing: v2 admits every generation as a task,
    // charged now and refunded if it fails.
    Task task = inference_task(ctx, call, http, req, style, cost);
    const json answer = accepted_answer(task.id);
    const Admission admitted = ctx.state.admit_task(std::move(task), call.activity->entry,
                                                    keyed ? idempotency_key : "", *body, answer);
    switch (admitted.outcome) {
        case Admission::Outcome::NoBalance:
            return send_no_balance(ctx, res, call, cost);
        case Admission::Outcome::Replayed:
        case Admission::Outcome::Conflict:  // a concurrent first try under the same key won
            answer_earlier(admitted, res, call);
            return;
        case Admission::Outcome::Admitted:
            call.activity->skip = true;  // admit_task stored the entry with the task
            return send_json(res, 200, answer);
    }
}

// ExternalInferenceTaskRead: null fields omitted; a failed task is still HTTP 200.
json task_json(Ctx& ctx, const TaskSnapshot& snap) {
    const SimConfig config = ctx.state.config();
    json view = {{"status", snap.status},
                 {"task_id", snap.task.id},
                 {"created_at", created_at(config, snap.task.accepted_ms / 1000)},
                 {"updated_at", created_at(config, snap.updated_ms / 1000)}};
    if (snap.status == "succeeded") view["result"] = snap.task.result;
    if (snap.status == "failed")
        view["error"] = {{"status_code", v2_status("inference_failed").value_or(502)},
                         {"code", "inference_failed"},
                         {"message", "Inference failed."},
                         {"request_id", snap.task.id}};
    return view;
}

void list_tasks(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    int limit = 20;  // "limit int default 20 (no max in contract)"
    if (auto issue = query_int(req, "limit", 1, 0, limit))
        return send_validation(res, json::array({*issue}));
    const std::string status = req.has_param("status") ? req.get_param_value("status") : "";
    if (!status.empty() && status != "pending" && status != "running" && status != "succeeded" &&
        status != "failed")
        return send_validation(
            res,
            json::array({validation_issue({"query", "status"},
                                          "Input should be 'pending', 'running', 'succeeded' or "
                                          "'failed'",
                                          "enum")}));
    json tasks = json::array();
    for (const TaskSnapshot& snap : ctx.state.tasks(call.key)) {
        if (!status.empty() && snap.status != status) continue;
        if (static_cast<int>(tasks.size()) >= limit) break;
        tasks.push_back(task_json(ctx, snap));
    }
    send_json(res, 200, {{"tasks", tasks}});
}

}  // namespace

void register_v2_inference_routes(httplib::Server& svr, Ctx& ctx) {
    svr.Post("/v2/inferences",
             public_route(
                 ctx, Auth::Token,
                 [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                     handle_inference(ctx, req, res, call);
                 },
                 "inference"));
    svr.Get(R"(/v2/inferences/tasks/([^/]+))",
            public_route(
                ctx, Auth::Token,
                [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                    // Another key's task is concealed as not found.
                    const auto snap = ctx.state.task(call.key, req.matches[1].str());
                    if (!snap)
                        return send_v2_error(res, call.request_id, "not_found", "Task not found.");
                    send_json(res, 200, task_json(ctx, *snap));
                }));
    svr.Get("/v2/inferences/tasks",
            public_route(ctx, Auth::Token,
                         [&ctx](const httplib::Request& req, httplib::Response& res,
                                const Call& call) { list_tasks(ctx, req, res, call); }));
}

}  // namespace rdsim
