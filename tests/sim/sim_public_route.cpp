// public_route: what every public endpoint does around its handler (recording, faults, auth,
// v2's error envelope and request ids, API Activity).
#include <cctype>

#include "sim_faults.h"
#include "sim_http.h"
#include "sim_routes.h"
#include "sim_v2_errors.h"

namespace rdsim {
namespace {

// httplib adds these to Request::headers itself; they were not sent by the client.
bool is_pseudo_header(const std::string& name) {
    return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
           name == "LOCAL_PORT";
}

json request_record(const httplib::Request& req) {
    json headers = json::object();
    for (const auto& [name, value] : req.headers) {
        if (is_pseudo_header(name)) continue;
        const std::string key = lower(name);
        headers[key] =
            headers.contains(key) ? headers[key].get<std::string>() + ", " + value : value;
    }
    json query = json::object();
    for (const auto& [name, value] : req.params) query[name] = value;
    json body = nullptr;
    json record = {{"method", req.method}, {"path", req.path}, {"query", query}};
    record["token"] =
        req.has_header("X-RD-Token") ? json(req.get_header_value("X-RD-Token")) : json();
    if (!req.body.empty()) {
        body = json::parse(req.body, nullptr, false);
        if (body.is_discarded()) {
            body = nullptr;
            record["raw_body"] = req.body.substr(0, 65536);
        }
    }
    record["body"] = body;
    record["headers"] = headers;
    return record;
}

// Sends the auth error, if any, for this token.
bool reject_token(Ctx& ctx, Auth auth, const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.get_header_value("X-RD-Token");
    if (token.empty()) {
        send_json(res, 401, detail_error("missing_token", "Missing X-RD-Token header."));
        return true;
    }
    switch (ctx.state.check_key(token)) {
        case Access::Ok:
            return false;
        case Access::Forbidden:
            send_json(res, 403, detail_error("forbidden", "Token lacks access to this resource."));
            return true;
        case Access::Unknown:
            send_json(res, auth == Auth::Credits ? 403 : 401,
                      detail_error("invalid_token", "Invalid X-RD-Token."));
            return true;
    }
    return true;
}

// v2: a missing or unknown token is 401 invalid_token everywhere (credits too), no access 403.
bool reject_token_v2(Ctx& ctx, const Call& call, httplib::Response& res) {
    if (call.key.empty()) {
        send_v2_error(res, call.request_id, "invalid_token");
        return true;
    }
    switch (ctx.state.check_key(call.key)) {
        case Access::Ok:
            return false;
        case Access::Forbidden:
            send_v2_error(res, call.request_id, "forbidden");
            return true;
        case Access::Unknown:
            send_v2_error(res, call.request_id, "invalid_token");
            return true;
    }
    return true;
}

bool is_media_field(std::string name) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name.find("image") != std::string::npos || name.find("palette") != std::string::npos;
}

// The request fields an activity entry shows ("sanitized"): images, palettes and other long
// strings are left out.
json request_summary(const httplib::Request& req) {
    json body = json::parse(req.body, nullptr, false);
    json summary = json::object();
    if (!body.is_object()) return summary;
    for (const auto& [name, value] : body.items()) {
        if (is_media_field(name)) continue;
        if (value.is_string() && value.get_ref<const std::string&>().size() > 256) continue;
        if (value.is_array() || value.is_object()) continue;  // reference images, palettes
        summary[name] = value;
    }
    return summary;
}

// Stores the finished entry: status, HTTP status and error come from the answer.
void record_activity(Ctx& ctx, ActivityDraft& draft, const httplib::Response& res,
                     const Call& call) {
    if (draft.skip) return;
    Activity& a = draft.entry;
    a.http_status = res.status;
    a.status = res.status < 400 ? "succeeded" : "failed";
    if (res.status >= 400) {
        httplib::Response copy = res;  // the v2 reading of the error, whichever API answered
        to_v2_envelope(copy, call.request_id);
        const json body = json::parse(copy.body, nullptr, false);
        if (body.is_object() && body.contains("error"))
            a.error = {{"code", body["error"]["code"]},
                       {"message", body["error"]["message"]},
                       {"request_id", call.request_id}};
        a.outputs.clear();
    }
    ctx.state.add_activity(std::move(a));
}

}  // namespace

Api api_of(const std::string& path) {
    const bool v2 = path.rfind("/v2/", 0) == 0 || path.rfind("/v1/lowpoly/", 0) == 0;
    return v2 ? Api::V2 : Api::V1;
}

httplib::Server::Handler public_route(Ctx& ctx, Auth auth, PublicHandler handler,
                                      std::string operation) {
    return [&ctx, auth, handler = std::move(handler), operation = std::move(operation)](
               const httplib::Request& req, httplib::Response& res) {
        ctx.state.record(request_record(req));
        Call call{req.get_header_value("X-RD-Token"), ctx.state.new_uuid(), api_of(req.path)};
        auto rule = ctx.state.take_fail_rule(req.method, req.path);
        if (rule && !rule->after_admission) return apply_fault(ctx, *rule, req, res, call);

        const bool rejected = auth != Auth::None && (call.v2() ? reject_token_v2(ctx, call, res)
                                                               : reject_token(ctx, auth, req, res));
        if (!rejected) {
            ActivityDraft draft;
            if (!operation.empty()) {
                draft.entry.request_id = call.request_id;
                draft.entry.key = call.key;
                draft.entry.operation = operation;
                draft.entry.request = request_summary(req);
                if (operation == "edit_tool") draft.entry.request["tool_id"] = req.matches[1].str();
                call.activity = &draft;
            }
            handler(req, res, call);
            if (call.activity) record_activity(ctx, draft, res, call);
            if (call.activity && !draft.skip && call.v2() && res.status < 400)
                res.set_header("X-RD-Request-ID", call.request_id);
        }
        if (call.v2()) {
            to_v2_envelope(res, call.request_id);
            res.set_header("X-Request-ID", call.request_id);
        }
        // After admission: the work above happened (and was charged); the answer is lost.
        if (rule) {
            res.headers.clear();  // nothing of the real answer may reach the client
            apply_fault(ctx, *rule, req, res, call);
        }
    };
}

void send_no_balance(Ctx& ctx, httplib::Response& res, const Call& call, Micros cost) {
    if (!call.v2()) return send_not_enough_balance(res);
    const Micros balance = ctx.state.balance(call.key).value_or(0);
    send_v2_error(res, call.request_id, "not_enough_balance", std::nullopt,
                  {{"balance", micros_to_usd(balance)}, {"cost", micros_to_usd(cost)}});
}

OutputRef keep_output(Ctx& ctx, const Call& call, std::string bytes,
                      const std::string& media_type) {
    OutputRef ref{ctx.state.store_output(std::move(bytes), media_type, kOutputsKeptMs), media_type};
    if (call.activity) call.activity->entry.outputs.push_back(ref);
    return ref;
}

void simulate_latency(Ctx& ctx) { ctx.state.wait_ms(ctx.state.config().latency_ms); }

}  // namespace rdsim
