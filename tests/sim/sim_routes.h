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
    Credits,  // as Token, but an unknown token -> 403 on v1 (GET /v1/inferences/credits)
};

// The API version a call came in on, from its path. v2 serves the v1 surface with canonical
// error envelopes; the few real differences (async inferences) branch on this. Low-Poly is
// newer than v1's frozen surface: /v1/lowpoly answers as v2 does (errors in the envelope).
enum class Api { V1, V2 };
Api api_of(const std::string& path);
inline constexpr const char* kApiPrefixes[] = {"/v1", "/v2"};

// What a public handler knows about its call besides the HTTP request.
struct Call {
    std::string key;         // the caller's token ("" on routes without auth)
    std::string request_id;  // v2's X-Request-ID; the API Activity id of a recorded call
    Api api = Api::V1;
    // On a recorded route (public_route with an operation): the API Activity entry being
    // written. The handler adds cost, charge and outputs; public_route stores it after the
    // handler, with the answer's status and error, unless the handler set `skip` (a dry run,
    // an idempotent replay, or an async admission that stored its own entry).
    struct ActivityDraft* activity = nullptr;
    bool v2() const { return api == Api::V2; }
};

struct ActivityDraft {
    Activity entry;
    bool skip = false;
};

using PublicHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Call& call)>;

// Records the request, applies an injected fault, authenticates, runs the handler and, on
// /v2/, turns every error answer into the canonical envelope with X-Request-ID.
// `operation` (inference, edit_tool, edit, pixel_fixer.*) makes it recorded: see Call::activity.
httplib::Server::Handler public_route(Ctx& ctx, Auth auth, PublicHandler handler,
                                      std::string operation = "");

// Not enough balance for `cost`: v1's 400 list, or v2's 402 with details {balance, cost}.
void send_no_balance(Ctx& ctx, httplib::Response& res, const Call& call, Micros cost);

// Keeps an output for the API's 24 hours (served at /_sim/outputs/<id>.<ext>) and, on a
// recorded route, lists it in the call's activity entry.
OutputRef keep_output(Ctx& ctx, const Call& call, std::string bytes, const std::string& media_type);
inline constexpr std::int64_t kOutputsKeptMs = 24LL * 3600 * 1000;

// Waits the configured latency (interrupted at shutdown).
void simulate_latency(Ctx& ctx);

void register_inference_routes(httplib::Server& svr, Ctx& ctx);     // v1 inferences, credits
void register_v2_inference_routes(httplib::Server& svr, Ctx& ctx);  // async-only, tasks
void register_activity_routes(httplib::Server& svr, Ctx& ctx);      // /v2/inferences/requests
void register_user_style_routes(httplib::Server& svr, Ctx& ctx);
void register_pixel_fixer_routes(httplib::Server& svr, Ctx& ctx);
void register_edit_routes(httplib::Server& svr, Ctx& ctx);         // POST /v1/edit
void register_edit_tool_routes(httplib::Server& svr, Ctx& ctx);    // /v1/edit/tools...
void register_edit_task_routes(httplib::Server& svr, Ctx& ctx);    // .../tasks, /v1/edit/tasks/{id}
void register_info_routes(httplib::Server& svr, Ctx& ctx);         // status, selector
void register_lowpoly_routes(httplib::Server& svr, Ctx& ctx);      // /v{1,2}/lowpoly/...
void register_lowpoly_job_routes(httplib::Server& svr, Ctx& ctx);  // jobs on a model, recolor
void register_control_routes(httplib::Server& svr, Ctx& ctx);
void register_fallback_routes(httplib::Server& svr, Ctx& ctx);

}  // namespace rdsim
