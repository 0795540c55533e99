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
                             [](const httplib::Request& req, httplib::Response& res, const Call&) {
                                 send_json(res, 200,
                                           {{"items", selector_items(param(req, "model"),
                                                                     param(req, "tab"))}});
                             }));
    }
}

}  // namespace rdsim
