// GET /v{1,2}/edit/tools, POST /v{1,2}/edit/tools/{tool_id}, POST .../{tool_id}/estimate.
#include "sim_base64.h"
#include "sim_edit_tools.h"
#include "sim_images.h"
#include "sim_routes.h"

namespace rdsim {
namespace {

struct ToolRequest {
    const EditTool* tool = nullptr;
    json body;
    ToolCheck check;
};

// Everything both run and estimate validate; sends the error and returns nullopt on failure.
std::optional<ToolRequest> read_tool_request(const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1].str();
    const EditTool* tool = find_edit_tool(id);
    if (!tool) {
        send_json(res, 404, detail_error("tool_not_found", "Unknown edit tool '" + id + "'."));
        return std::nullopt;
    }
    auto body = read_json_object(req, res);
    if (!body) return std::nullopt;
    std::vector<FieldSpec> fields = tool->fields;
    fields.insert(fields.begin(), {"input_image", FieldType::String, true});
    if (json issues = check_fields(*body, fields); !issues.empty()) {
        send_validation(res, issues);
        return std::nullopt;
    }
    const ProbeResult probe = probe_base64_image(*get_string(*body, "input_image"), true);
    if (!probe.info) {
        send_invalid(res, "input_image " + probe.error);
        return std::nullopt;
    }
    ToolCheck check = check_edit_tool_request(*tool, *body, *probe.info);
    if (check.error) {
        send_invalid(res, *check.error);
        return std::nullopt;
    }
    return ToolRequest{tool, std::move(*body), check};
}

void run_tool(Ctx& ctx, const httplib::Request& req, httplib::Response& res, const Call& call) {
    const auto tr = read_tool_request(req, res);
    if (!tr) return;
    const Micros cost = usd_to_micros(tr->tool->cost_usd);
    std::optional<Micros> remaining;
    if (cost > 0) {
        remaining = ctx.state.charge(call.key, cost, req.path);
        if (!remaining) return send_no_balance(ctx, res, call, cost);
    } else {
        remaining = ctx.state.balance(call.key);
    }
    call.activity->entry.cost = cost;
    call.activity->entry.charged = cost > 0;
    simulate_latency(ctx);
    const std::uint64_t seed = tr->body.contains("seed") && tr->body["seed"].is_number_integer()
                                   ? tr->body["seed"].get<std::uint64_t>()
                                   : ctx.state.random_u64();
    const bool transparent = tr->tool->id == "background_remover";
    const std::string png =
        render_png(tr->check.out_width, tr->check.out_height, seed, transparent);
    keep_output(ctx, call, png, "image/png");
    json body = {{"tool_id", tr->tool->id},
                 {"base64_images", json::array({base64_encode(png)})},
                 {"output_urls", json::array()},
                 {"balance_cost", micros_to_usd(cost)},
                 {"charged", cost > 0},
                 {"remaining_balance", micros_to_usd(remaining.value_or(0))}};
    if (call.v2()) body["request_id"] = call.request_id;  // ExternalEditToolRunOutput has it
    send_json(res, 200, body);
}

void estimate_tool(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                   const Call& call) {
    const auto tr = read_tool_request(req, res);
    if (!tr) return;
    send_json(res, 200,
              {{"tool_id", tr->tool->id},
               {"balance_cost", tr->tool->cost_usd},
               {"estimated_time_seconds", tr->tool->estimated_seconds},
               {"charged", false},
               {"remaining_balance", micros_to_usd(ctx.state.balance(call.key).value_or(0))}});
}

}  // namespace

void register_edit_tool_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        svr.Get(prefix + "/edit/tools",
                public_route(ctx, Auth::Token,
                             [](const httplib::Request&, httplib::Response& res, const Call&) {
                                 json tools = json::array();
                                 for (const EditTool& t : edit_tools())
                                     tools.push_back(edit_tool_json(t));
                                 send_json(res, 200, {{"tools", tools}});
                             }));
        svr.Post(prefix + R"(/edit/tools/([^/]+)/estimate)",
                 public_route(ctx, Auth::Token,
                              [&ctx](const httplib::Request& req, httplib::Response& res,
                                     const Call& call) { estimate_tool(ctx, req, res, call); }));
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
