// Edit tasks (v2 reference sections 3.4 and 5.3): POST /v{1,2}/edit/tools/{tool_id}/tasks
// admits a run as a task (202), GET /v{1,2}/edit/tasks/{task_id} reads it. Validation and the
// balance are checked before queueing (nothing charged on an error); the job is charged as it
// starts, which in the sim is at admission, and refunded if it fails. custom_id is the
// idempotency key here: the same one again answers the original task, uncharged and not rerun.
#include <ctime>

#include "sim_edit_tool_run.h"
#include "sim_inference_run.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

// Keeps custom_ids apart from POST /v2/inferences' Idempotency-Keys in the same store: a
// newline is not a visible ASCII character, so no Idempotency-Key starts with this.
const std::string kCustomIdScope = "edit-task custom_id\n";

json accepted_answer(const Call& call, const std::string& task_id) {
    const std::string version = call.v2() ? "v2" : "v1";
    return {
        {"status", "accepted"},
        {"task_id", task_id},
        {"request_id", task_id},
        {"message", "Edit accepted. Poll GET /" + version + "/edit/tasks/{task_id} for status."}};
}

void start_task(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto tr = read_edit_tool_request(req, res);
    if (!tr) return;
    const EditTool& tool = *tr->tool;
    const auto custom_id = get_string(tr->body, "custom_id");
    const std::string scoped = custom_id ? kCustomIdScope + *custom_id : "";
    // The same custom_id answers its task whatever else changed (the documents name no
    // conflict), so the body stored with it is always null.
    if (custom_id) {
        if (auto earlier = ctx.state.idempotent_answer(call.key, scoped, nullptr)) {
            call.activity->skip = true;  // nothing new ran
            return send_json(res, 202, earlier->answer);
        }
    }
    const Micros cost = edit_tool_cost(tool);
    if (below_minimum_balance(ctx, call, tool)) return send_no_balance(ctx, res, call, cost);

    Task task;
    task.id = call.request_id;  // also the API Activity id
    task.key = call.key;
    task.path = req.path;
    task.operation = "edit_tool";
    task.duration_ms = ctx.state.config().async_duration_ms;
    task.will_fail = tr->prompt.find(kFailWord) != std::string::npos;
    task.cost = cost;
    if (!task.will_fail) {
        // A task's image is always hosted (output_urls), whatever the tool.
        const Micros remaining = ctx.state.balance(call.key).value_or(0) - cost;
        task.result = edit_tool_run_output(ctx, call, *tr, cost, remaining, /*hosted=*/true);
        task.outputs = call.activity->entry.outputs;
    }
    const json answer = accepted_answer(call, task.id);
    const Admission admitted =
        ctx.state.admit_task(std::move(task), call.activity->entry, scoped, nullptr, answer);
    if (admitted.outcome == Admission::Outcome::NoBalance)
        return send_no_balance(ctx, res, call, cost);
    call.activity->skip = true;  // admit_task stored the entry (or a concurrent twin did)
    send_json(res, 202, admitted.answer);
}

// The contract's date-time: RFC 3339, in UTC.
std::string rfc3339_time(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// ExternalEditToolTaskRead. The July document gives Unix seconds, the contract date-time: v1
// answers the first, v2 the second, so clients meet both. v1 sends unset fields as null
// (FastAPI), v2 omits them. A failed task is still HTTP 200.
json task_json(const Call& call, const TaskSnapshot& snap) {
    const auto when = [&](std::int64_t ms) -> json {
        return call.v2() ? json(rfc3339_time(ms / 1000)) : json(ms / 1000);
    };
    json view = {{"status", snap.status},
                 {"task_id", snap.task.id},
                 {"created_at", when(snap.task.accepted_ms)},
                 {"updated_at", when(snap.updated_ms)}};
    if (!call.v2()) view.update({{"result", nullptr}, {"error", nullptr}});
    if (snap.status == "succeeded") view["result"] = snap.task.result;
    if (snap.status == "failed") {
        const std::string message = "The edit tool failed; the charge was refunded.";
        view["error"] = call.v2() ? json{{"status_code", 500},
                                         {"code", "edit_tool_failed"},
                                         {"message", message},
                                         {"request_id", snap.task.id}}
                                  : json{{"status_code", 500},
                                         {"detail",
                                          {{"code", "edit_tool_failed"},
                                           {"message", message},
                                           {"request_id", snap.task.id}}}};
    }
    return view;
}

void read_task(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    // Unknown, another key's, or an inference task: all "does not exist".
    const auto snap = ctx.state.task(call.key, req.matches[1].str(), "edit_tool");
    if (!snap)
        return send_json(
            res, 404,
            detail_error("edit_task_not_found", "No edit task with this id for this API key."));
    send_json(res, 200, task_json(call, *snap));
}

}  // namespace

void register_edit_task_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        svr.Post(prefix + R"(/edit/tools/([^/]+)/tasks)",
                 public_route(
                     ctx, Auth::Token,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                         start_task(ctx, req, res, call);
                     },
                     "edit_tool"));
        svr.Get(prefix + R"(/edit/tasks/([^/]+))",
                public_route(ctx, Auth::Token,
                             [&ctx](const httplib::Request& req, httplib::Response& res,
                                    const Call& call) { read_task(ctx, req, res, call); }));
    }
}

}  // namespace rdsim
