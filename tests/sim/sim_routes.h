#pragma once
// What every route file shares: the state, the server's own base URL, and the wrapper that
// makes a handler "public" (recorded, subject to injected faults, authenticated).
#include <httplib.h>

#include <functional>
#include <string>

#include "sim_state.h"

namespace rdsim {

struct Ctx {
    State& state;
    std::string base_url;  // e.g. http://127.0.0.1:41234, for hosted output URLs
};

enum class Auth {
    None,     // GET /v1/status
    Token,    // missing -> 401, unknown -> 401, no access -> 403
    Credits,  // as Token, but an unknown token -> 403 (GET /v1/inferences/credits)
};

using PublicHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const std::string& key)>;

httplib::Server::Handler public_route(Ctx& ctx, Auth auth, PublicHandler handler);

// Waits the configured latency (interrupted at shutdown).
void simulate_latency(Ctx& ctx);

void register_inference_routes(httplib::Server& svr, Ctx& ctx);
void register_user_style_routes(httplib::Server& svr, Ctx& ctx);
void register_edit_routes(httplib::Server& svr, Ctx& ctx);       // POST /v1/edit
void register_edit_tool_routes(httplib::Server& svr, Ctx& ctx);  // /v1/edit/tools...
void register_info_routes(httplib::Server& svr, Ctx& ctx);       // status, selector
void register_control_routes(httplib::Server& svr, Ctx& ctx);
void register_fallback_routes(httplib::Server& svr, Ctx& ctx);

}  // namespace rdsim
