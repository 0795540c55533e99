// GET /v{1,2}/status (no auth) and GET /v{1,2}/styles/selector.
#include "sim_http.h"
#include "sim_routes.h"
#include "sim_styles.h"

namespace rdsim {
namespace {

std::optional<std::string> param(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return std::nullopt;
    return req.get_param_value(name);
}

// The public styles as they are now, then the caller's own user styles (user styles are per
// key: another key's never show). v1 answers the list itself; v2 ExternalStyleSelectorResponse.
void send_selector(Ctx& ctx, const httplib::Request& req, httplib::Response& res,
                   const Call& call) {
    const auto model = param(req, "model");
    const auto tab = param(req, "tab");
    json items = selector_items(ctx.state.config().styles, model, tab);
    if ((!model || *model == "rd_pro") && (!tab || *tab == "tab:image")) {
        for (const UserStyle& style : ctx.state.styles_of(call.key)) {
            items.push_back(user_selector_item(style.prompt_style,
                                               style.fields.value("name", style.prompt_style),
                                               style.fields.value("description", std::string())));
        }
    }
    if (!call.v2()) return send_json(res, 200, items);
    send_json(
        res, 200,
        {{"styles", std::move(items)}, {"models", selector_models()}, {"tabs", selector_tabs()}});
}

}  // namespace

void register_info_routes(httplib::Server& svr, Ctx& ctx) {
    for (const std::string prefix : kApiPrefixes) {
        svr.Get(
            prefix + "/status",
            public_route(ctx, Auth::None,
                         [&ctx](const httplib::Request&, httplib::Response& res, const Call&) {
                             json status = {{"rd_fast", "ok"},
                                            {"rd_pro", "ok"},
                                            {"rd_plus", "ok"},
                                            {"animations", "ok"},
                                            {"background_removal", "ok"}};
                             status.update(ctx.state.config().service_status);
                             send_json(res, 200, {{"status", status}, {"updated_at", unix_now()}});
                         }));

        svr.Get(prefix + "/styles/selector",
                public_route(ctx, Auth::Token,
                             [&ctx](const httplib::Request& req, httplib::Response& res,
                                    const Call& call) { send_selector(ctx, req, res, call); }));
    }
}

}  // namespace rdsim
