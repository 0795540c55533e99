// GET /v{1,2}/edit/tools (public), POST /v{1,2}/edit/tools/{tool_id}/estimate and
// POST /v{1,2}/edit/tools/{tool_id} (sync run, recorded in API Activity as edit_tool).
#include "sim_edit_tool_run.h"
#include "sim_inference_run.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

void list_tools(const httplib::Request&, httplib::Response& res, const Call&) {
    json tools = json::array();
    for (const EditTool& t : edit_tools()) tools.push_back(edit_tool_json(t));
    send_json(res, 200, tools);
}

// Validates as a run does, never charges and is not an API Activity entry. The balance is not
// looked at: an estimate is how a client learns what to top up.
void estimate_tool(const httplib::Request& req, httplib::Response& res, const Call&) {
    const auto tr = read_edit_tool_request(req, res);
    if (!tr) return;
    const EditTool& t = *tr->tool;
    const double usd = micros_to_usd(edit_tool_cost(t));
    send_json(res, 200,
              {{"tool_id", t.id},
               {"balance_cost", usd},
               {"credit_cost", t.credit_cost},
               {"estimate_seconds", t.estimate_seconds},
               {"toolId", t.id},
               {"balanceCost", usd},
               {"creditCost", t.credit_cost},
               {"estimateSeconds", t.estimate_seconds}});
}

// Charged once, before the work; a failure (FAILME) refunds it and answers 500.
void run_tool(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto tr = read_edit_tool_request(req, res);
    if (!tr) return;
    const EditTool& tool = *tr->tool;
    const Micros cost = edit_tool_cost(tool);
    if (below_minimum_balance(ctx, call, tool)) return send_no_balance(ctx, res, call, cost);
    const auto remaining =
        cost > 0 ? ctx.state.charge(call.key, cost, req.path) : ctx.state.balance(call.key);
    if (!remaining) return send_no_balance(ctx, res, call, cost);
    call.activity->entry.cost = cost;
    call.activity->entry.charged = cost > 0;
    simulate_latency(ctx);
    if (tr->prompt.find(kFailWord) != std::string::npos) {
        if (cost > 0) ctx.state.refund(call.key, cost, req.path + " failed");
        call.activity->entry.charged = false;
        return send_json(res, 500,
                         detail_error("edit_tool_failed",
                                      "The edit tool failed; the charge was refunded. Retry "
                                      "later."));
    }
    send_json(res, 200, edit_tool_run_output(ctx, call, *tr, cost, *remaining, tool.hosted_output));
}

}  // namespace

void register_edit_tool_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        // The catalog is public: the contract declares no X-RD-Token on it (a sent one is
        // not checked either).
        svr.Get(prefix + "/edit/tools", public_route(ctx, Auth::None, list_tools));
        svr.Post(prefix + R"(/edit/tools/([^/]+)/estimate)",
                 public_route(ctx, Auth::Token, estimate_tool));
        svr.Post(prefix + R"(/edit/tools/([^/]+))",
                 public_route(
                     ctx, Auth::Token,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Call& call) {
                         run_tool(ctx, req, res, call);
                     },
                     "edit_tool"));
    }
}

}  // namespace rdsim
