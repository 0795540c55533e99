#include "sim_server.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <utility>
#include <vector>

#include "sim_http.h"

namespace rdsim {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

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

json default_fail_body(int status) {
    switch (status) {
        case 400:
            return detail_error("invalid_request", "Invalid request.");
        case 401:
            return detail_error("invalid_token", "Invalid or missing X-RD-Token.");
        case 403:
            return detail_error("forbidden", "Token lacks access.");
        case 404:
            return detail_error("not_found", "Not found.");
        case 410:
            return detail_error("deprecated", "This endpoint is deprecated.");
        case 422:
            return {{"detail", json::array({validation_issue({"body"}, "Simulated validation error",
                                                             "value_error")})}};
        case 429:
            return detail_error("rate_limited", "Too many requests.");
        case 500:
            return detail_error("inference_failed", "Unable to run inference.");
        case 502:
            return detail_error("bad_gateway", "Bad gateway.");
        case 503:
            return detail_error("service_unavailable", "Service temporarily unavailable.");
        case 504:
            return detail_error("gateway_timeout", "Gateway timeout.");
        default:
            return detail_error("error", "Simulated error.");
    }
}

// Transport faults: the status line and headers go out, then the body misbehaves.
void send_faulty_body(Ctx& ctx, const FailRule& rule, std::string body, const std::string& type,
                      httplib::Response& res) {
    if (rule.transport == "huge") {
        res.set_content_provider(rule.huge_bytes, "application/json",
                                 [](size_t offset, size_t length, httplib::DataSink& sink) {
                                     // A JSON string that never ends within the body.
                                     std::string chunk(std::min<size_t>(length, 1 << 16), 'x');
                                     if (offset == 0) chunk[0] = '"';
                                     return sink.write(chunk.data(), chunk.size());
                                 });
        return;
    }
    auto shared = std::make_shared<std::string>(std::move(body));
    if (rule.transport == "reset_mid_body") {
        // Promise the whole body, send half, then give up: the client sees the connection drop.
        res.set_content_provider(shared->size(), type,
                                 [shared](size_t offset, size_t, httplib::DataSink& sink) {
                                     if (offset > 0) return false;
                                     sink.write(shared->data(), shared->size() / 2);
                                     return true;
                                 });
        return;
    }
    // trickle
    const int interval = rule.trickle_interval_ms;
    State* state = &ctx.state;
    res.set_content_provider(
        shared->size(), type,
        [shared, interval, state](size_t offset, size_t, httplib::DataSink& sink) {
            if (!state->wait_ms(interval)) return false;  // shutting down
            return sink.write(shared->data() + offset, 1);
        });
}

void apply_fail_rule(Ctx& ctx, const FailRule& rule, httplib::Response& res) {
    ctx.state.wait_ms(rule.delay_ms);
    res.status = rule.status;
    std::string body =
        rule.raw ? *rule.raw : dump(rule.body.value_or(default_fail_body(rule.status)));
    const std::string type = rule.raw ? rule.content_type : "application/json";
    if (!rule.transport.empty()) {
        send_faulty_body(ctx, rule, std::move(body), type, res);
    } else {
        res.set_content(body, type);
    }
    if (rule.retry_after) res.set_header("Retry-After", std::to_string(*rule.retry_after));
    for (const auto& [name, value] : rule.headers.items())
        res.set_header(name, value.is_string() ? value.get<std::string>() : dump(value));
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

std::string url_host(const std::string& host) {
    if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
    if (host == "::") return "[::1]";
    if (host.find(':') != std::string::npos) return "[" + host + "]";
    return host;
}

}  // namespace

httplib::Server::Handler public_route(Ctx& ctx, Auth auth, PublicHandler handler) {
    return [&ctx, auth, handler = std::move(handler)](const httplib::Request& req,
                                                      httplib::Response& res) {
        ctx.state.record(request_record(req));
        if (auto rule = ctx.state.take_fail_rule(req.method, req.path))
            return apply_fail_rule(ctx, *rule, res);
        if (auth != Auth::None && reject_token(ctx, auth, req, res)) return;
        handler(req, res, req.get_header_value("X-RD-Token"));
    };
}

void simulate_latency(Ctx& ctx) { ctx.state.wait_ms(ctx.state.config().latency_ms); }

void register_fallback_routes(httplib::Server& svr, Ctx& ctx) {
    // The public paths and their methods: another method on one of them is a 405, as FastAPI
    // answers; any other path is a 404.
    static const std::vector<std::pair<std::regex, std::string>> known = {
        {std::regex("/v1/inferences"), "POST"},
        {std::regex("/v1/inferences/tasks/[^/]+"), "GET"},
        {std::regex("/v1/inferences/credits"), "GET"},
        {std::regex("/v1/status"), "GET"},
        {std::regex("/v1/styles"), "POST"},
        {std::regex("/v1/styles/selector"), "GET"},
        {std::regex("/v1/styles/[^/]+"), "PATCH, DELETE"},
        {std::regex("/v1/edit"), "POST"},
        {std::regex("/v1/edit/tools"), "GET"},
        {std::regex("/v1/edit/tools/[^/]+"), "POST"},
        {std::regex("/v1/edit/tools/[^/]+/estimate"), "POST"},
    };
    const auto fallback = [&ctx](const httplib::Request& req, httplib::Response& res) {
        const auto send = [](const httplib::Request& r, httplib::Response& out,
                             const std::string&) {
            for (const auto& [pattern, allow] : known) {
                if (!std::regex_match(r.path, pattern)) continue;
                out.set_header("Allow", allow);
                return send_json(out, 405, {{"detail", "Method Not Allowed"}});
            }
            send_json(out, 404, {{"detail", "Not Found"}});
        };
        if (req.path.rfind("/_sim/", 0) == 0) return send_json(res, 404, {{"detail", "Not Found"}});
        public_route(ctx, Auth::None, send)(req, res);
    };
    svr.Get(".*", fallback);
    svr.Post(".*", fallback);
    svr.Put(".*", fallback);
    svr.Patch(".*", fallback);
    svr.Delete(".*", fallback);
}

SimServer::SimServer(ServerOptions options)
    : options_(std::move(options)),
      state_(options_.keys, SimConfig{options_.latency_ms, options_.async_duration_ms}),
      ctx_{state_, ""} {
    if (!options_.tls_cert.empty()) {
        server_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                       options_.tls_key.c_str());
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
    install_routes();
}

SimServer::~SimServer() = default;

void SimServer::install_routes() {
    httplib::Server& svr = *server_;
    register_control_routes(svr, ctx_);
    register_info_routes(svr, ctx_);
    register_inference_routes(svr, ctx_);
    register_user_style_routes(svr, ctx_);
    register_edit_routes(svr, ctx_);
    register_edit_tool_routes(svr, ctx_);
    register_fallback_routes(svr, ctx_);  // last: catches every other path

    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty())
            send_json(res, res.status, {{"detail", "HTTP error " + std::to_string(res.status)}});
    });
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown error";
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            std::fprintf(stderr, "rd-sim: handler exception: %s\n", what.c_str());
            send_json(res, 500, detail_error("internal_error", "Simulator error: " + what));
        });
    if (options_.verbose) {
        svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            std::fprintf(stderr, "rd-sim: %s %s -> %d\n", req.method.c_str(), req.path.c_str(),
                         res.status);
        });
    }
}

std::optional<std::string> SimServer::bind(std::string& error) {
    if (!server_->is_valid()) {
        error = "cannot load TLS certificate or key";
        return std::nullopt;
    }
    int port = options_.port;
    if (port == 0) {
        port = server_->bind_to_any_port(options_.host);
        if (port <= 0) {
            error = "cannot bind to " + options_.host;
            return std::nullopt;
        }
    } else if (!server_->bind_to_port(options_.host, port)) {
        error = "cannot bind to " + options_.host + ":" + std::to_string(port);
        return std::nullopt;
    }
    const std::string scheme = options_.tls_cert.empty() ? "http" : "https";
    ctx_.base_url = scheme + "://" + url_host(options_.host) + ":" + std::to_string(port);
    return ctx_.base_url;
}

bool SimServer::run() { return server_->listen_after_bind(); }

void SimServer::stop() {
    state_.stop();
    server_->stop();
}

}  // namespace rdsim
