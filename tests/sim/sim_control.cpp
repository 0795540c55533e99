// The /_sim/ endpoints tests use to observe and steer the simulator (no auth, not recorded).
#include "sim_http.h"
#include "sim_routes.h"
#include "sim_styles.h"

namespace rdsim {
namespace {

void control_error(httplib::Response& res, const std::string& message) {
    send_json(res, 400, {{"error", message}});
}

std::optional<json> control_body(const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        control_error(res, "body must be a JSON object");
        return std::nullopt;
    }
    return body;
}

json config_json(const SimConfig& c) {
    return {{"latency_ms", c.latency_ms},
            {"async_duration_ms", c.async_duration_ms},
            {"created_at_format", c.created_at_iso ? "iso" : "unix"},
            {"service_status", c.service_status},
            {"styles", c.styles}};
}

void post_config(Ctx& ctx, const httplib::Request& req, httplib::Response& res) {
    const auto body = control_body(req, res);
    if (!body) return;
    SimConfig c = ctx.state.config();
    for (const char* f : {"latency_ms", "async_duration_ms"}) {
        if (!body->contains(f)) continue;
        if (!(*body)[f].is_number_integer() || (*body)[f].get<std::int64_t>() < 0)
            return control_error(res, std::string(f) + " must be a non-negative integer");
        (std::string(f) == "latency_ms" ? c.latency_ms : c.async_duration_ms) =
            (*body)[f].get<int>();
    }
    if (auto fmt = get_string(*body, "created_at_format")) {
        if (*fmt != "unix" && *fmt != "iso")
            return control_error(res, "created_at_format: unix|iso");
        c.created_at_iso = *fmt == "iso";
    }
    if (body->contains("service_status")) {
        if (!(*body)["service_status"].is_object())
            return control_error(res, "service_status must be an object");
        c.service_status = (*body)["service_status"];
    }
    if (body->contains("styles")) {
        const json& styles = (*body)["styles"];
        if (!styles.is_object())
            return control_error(res, "styles must be an object: prompt_style -> fields");
        for (const auto& [id, fields] : styles.items()) {
            if (!fields.is_object())
                return control_error(res, "styles." + id + " must be an object");
            if (auto problem = style_change_problem(id, fields))
                return control_error(res, *problem);
        }
        c.styles = styles;
    }
    ctx.state.set_config(c);
    send_json(res, 200, config_json(c));
}

void post_fail_next(Ctx& ctx, const httplib::Request& req, httplib::Response& res) {
    const auto body = control_body(req, res);
    if (!body) return;
    FailRule rule;
    try {
        rule.path_prefix = body->value("path_prefix", std::string("/"));
        rule.method = body->value("method", std::string());
        rule.status = body->value("status", 500);
        rule.count = body->value("count", 1);
        rule.delay_ms = body->value("delay_ms", 0);
        if (body->contains("body")) rule.body = (*body)["body"];
        if (body->contains("raw")) rule.raw = (*body)["raw"].get<std::string>();
        rule.content_type = body->value("content_type", std::string("text/plain"));
        if (body->contains("retry_after")) rule.retry_after = (*body)["retry_after"].get<int>();
        if (body->contains("headers")) rule.headers = (*body)["headers"];
        rule.transport = body->value("transport", std::string());
        rule.trickle_interval_ms = body->value("trickle_interval_ms", 200);
        rule.huge_bytes = body->value("huge_bytes", std::size_t{64u << 20});
        rule.after_admission = body->value("after_admission", false);
        rule.reset = body->value("reset", false);
    } catch (const json::exception& e) {
        return control_error(res, std::string("bad fail_next field: ") + e.what());
    }
    if (rule.status < 100 || rule.status > 599)
        return control_error(res, "status must be 100..599");
    if (rule.count < 1) return control_error(res, "count must be at least 1");
    if (!rule.headers.is_object()) return control_error(res, "headers must be an object");
    if (!rule.transport.empty() && rule.transport != "reset_mid_body" &&
        rule.transport != "trickle" && rule.transport != "huge")
        return control_error(res, "transport: reset_mid_body|trickle|huge");
    if (rule.reset && !rule.after_admission)
        return control_error(res, "reset needs after_admission: true");
    ctx.state.add_fail_rule(rule);
    send_json(res, 200, {{"ok", true}});
}

json clock_json(Ctx& ctx, std::int64_t offset_s) {
    return {{"now", ctx.state.now_ms() / 1000}, {"offset_seconds", offset_s}};
}

// Moves the sim clock forward: tasks finish, outputs pass their 24 h, activity its 30 days.
void post_clock(Ctx& ctx, const httplib::Request& req, httplib::Response& res) {
    const auto body = control_body(req, res);
    if (!body) return;
    const auto seconds = get_int(*body, "advance_seconds");
    if (!seconds || *seconds < 0)
        return control_error(res, "advance_seconds must be a non-negative integer");
    send_json(res, 200, clock_json(ctx, ctx.state.advance_clock(*seconds)));
}

void post_keys(Ctx& ctx, const httplib::Request& req, httplib::Response& res) {
    const auto body = control_body(req, res);
    if (!body) return;
    const auto key = get_string(*body, "key");
    const auto balance = get_number(*body, "balance");
    if (!key || key->empty() || !balance)
        return control_error(res, "need key (string) and balance (number)");
    const bool access = !body->contains("access") || get_bool(*body, "access");
    ctx.state.set_key(*key, usd_to_micros(*balance), access);
    send_json(res, 200, {{"key", *key}, {"balance", *balance}, {"access", access}});
}

}  // namespace

void register_control_routes(httplib::Server& svr, Ctx& ctx) {
    svr.Get("/_sim/requests", [&ctx](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, ctx.state.requests());
    });
    svr.Delete("/_sim/requests", [&ctx](const httplib::Request&, httplib::Response& res) {
        ctx.state.clear_requests();
        send_json(res, 200, {{"ok", true}});
    });
    svr.Get("/_sim/config", [&ctx](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, config_json(ctx.state.config()));
    });
    svr.Post("/_sim/config", [&ctx](const httplib::Request& req, httplib::Response& res) {
        post_config(ctx, req, res);
    });
    svr.Post("/_sim/fail_next", [&ctx](const httplib::Request& req, httplib::Response& res) {
        post_fail_next(ctx, req, res);
    });
    svr.Delete("/_sim/fail_next", [&ctx](const httplib::Request&, httplib::Response& res) {
        ctx.state.clear_fail_rules();
        send_json(res, 200, {{"ok", true}});
    });
    svr.Post("/_sim/keys", [&ctx](const httplib::Request& req, httplib::Response& res) {
        post_keys(ctx, req, res);
    });
    svr.Get("/_sim/ledger", [&ctx](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, ctx.state.ledger());
    });
    svr.Get("/_sim/clock", [&ctx](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, clock_json(ctx, ctx.state.advance_clock(0)));
    });
    svr.Post("/_sim/clock", [&ctx](const httplib::Request& req, httplib::Response& res) {
        post_clock(ctx, req, res);
    });
    svr.Post("/_sim/reset", [&ctx](const httplib::Request&, httplib::Response& res) {
        ctx.state.reset();
        send_json(res, 200, {{"ok", true}});
    });
    svr.Get(R"(/_sim/outputs/([0-9a-f]+)\.([a-z0-9]+))", [&ctx](const httplib::Request& req,
                                                                httplib::Response& res) {
        const auto out = ctx.state.output(req.matches[1].str());
        if (!out || OutputRef{"", out->content_type}.ext() != req.matches[2].str())
            return send_json(res, 404, {{"detail", "Not Found"}});
        // API Activity hands out 15-minute URLs: ?expires=<unix seconds>, sim clock.
        if (req.has_param("expires")) {
            const std::string expires = req.get_param_value("expires");
            const bool digits = !expires.empty() && expires.size() < 19 &&
                                expires.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || std::stoll(expires) * 1000 <= ctx.state.now_ms())
                return send_json(res, 403, {{"detail", "Request has expired"}});
        }
        res.status = 200;
        res.set_content(out->bytes, out->content_type);
    });
}

}  // namespace rdsim
