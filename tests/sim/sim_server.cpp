#include "sim_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <utility>
#include <vector>

#include "sim_http.h"
#include "sim_v2_errors.h"

namespace rdsim {
namespace {

std::string url_host(const std::string& host) {
    if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
    if (host == "::") return "[::1]";
    if (host.find(':') != std::string::npos) return "[" + host + "]";
    return host;
}

// The API sits behind a load balancer that takes a burst of connections at once. cpp-httplib
// listens with a compiled-in backlog of 5: a burst of new connections beyond it would wait for
// SYN retries (1, 3, 7, 15 s...), a delay the real API does not have. The listening socket is
// the server's to tune once bound.
template <typename Base>
class BurstListener : public Base {
  public:
    using Base::Base;
    void raise_backlog(int backlog) { ::listen(this->svr_sock_, backlog); }
};

constexpr int kListenBacklog = 1024;
// Every connection holds a thread for its life, keep-alive waits included: enough for the most
// calls a test keeps in flight at once (200) plus the idle connections its clients pool.
constexpr std::size_t kConnectionThreads = 320;

}  // namespace

void register_fallback_routes(httplib::Server& svr, Ctx& ctx) {
    // The public paths and their methods: another method on one of them is a 405, as FastAPI
    // answers; any other path is a 404.
    static const std::vector<std::pair<std::regex, std::string>> known = {
        {std::regex("/v[12]/inferences"), "POST"},
        {std::regex("/v[12]/inferences/tasks/[^/]+"), "GET"},
        {std::regex("/v[12]/inferences/credits"), "GET"},
        {std::regex("/v[12]/status"), "GET"},
        {std::regex("/v[12]/styles"), "POST"},
        {std::regex("/v[12]/styles/selector"), "GET"},
        {std::regex("/v[12]/styles/[^/]+"), "PATCH, DELETE"},
        {std::regex("/v[12]/edit"), "POST"},
        {std::regex("/v[12]/edit/tools"), "GET"},
        {std::regex("/v[12]/edit/tools/[^/]+"), "POST"},
        {std::regex("/v[12]/edit/tools/[^/]+/estimate"), "POST"},
        {std::regex("/v[12]/edit/tools/[^/]+/tasks"), "POST"},
        {std::regex("/v[12]/edit/tasks/[^/]+"), "GET"},
        {std::regex("/v[12]/pixel-fixer/(standard|neural)"), "POST"},
        {std::regex("/v2/inferences/tasks"), "GET"},
        {std::regex("/v2/inferences/requests"), "GET"},
        {std::regex("/v2/inferences/requests/[^/]+"), "GET"},
        {std::regex("/v[12]/lowpoly/pricing"), "GET"},
        {std::regex("/v[12]/lowpoly/(estimate|generate)"), "POST"},
        {std::regex("/v[12]/lowpoly/tasks/[^/]+"), "GET"},
        {std::regex("/v[12]/lowpoly/assets"), "GET"},
        {std::regex("/v[12]/lowpoly/assets/[^/]+"), "GET"},
        {std::regex("/v[12]/lowpoly/assets/[^/]+/(revise|animate|split|rerig|recolor|export)"),
         "POST"},
        {std::regex("/v[12]/lowpoly/assets/[^/]+/versions/[^/]+/animations/[^/]+"), "DELETE"},
    };
    const auto fallback = [&ctx](const httplib::Request& req, httplib::Response& res) {
        // On /v2/ public_route turns these v1 bodies into not_found / method_not_allowed.
        const auto send = [](const httplib::Request& r, httplib::Response& out, const Call&) {
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
        server_ = std::make_unique<BurstListener<httplib::SSLServer>>(options_.tls_cert.c_str(),
                                                                      options_.tls_key.c_str());
    } else {
        server_ = std::make_unique<BurstListener<httplib::Server>>();
    }
    server_->new_task_queue = [] { return new httplib::ThreadPool(kConnectionThreads); };
    // cpp-httplib writes a response's head and body apart. With Nagle's algorithm on, the body
    // of an answer on a reused connection waits for the client's delayed ACK, about 40 ms added
    // to every call, a stall the real API does not have.
    server_->set_tcp_nodelay(true);
    install_routes();
}

SimServer::~SimServer() = default;

void SimServer::install_routes() {
    httplib::Server& svr = *server_;
    register_control_routes(svr, ctx_);
    register_info_routes(svr, ctx_);
    register_inference_routes(svr, ctx_);
    register_v2_inference_routes(svr, ctx_);
    register_activity_routes(svr, ctx_);
    register_user_style_routes(svr, ctx_);
    register_edit_routes(svr, ctx_);
    register_edit_tool_routes(svr, ctx_);
    register_edit_task_routes(svr, ctx_);
    register_pixel_fixer_routes(svr, ctx_);
    register_lowpoly_routes(svr, ctx_);
    register_lowpoly_job_routes(svr, ctx_);
    register_fallback_routes(svr, ctx_);  // last: catches every other path

    // Errors cpp-httplib answers itself (a bad request line, an oversized body): on /v2/ the
    // envelope too, as the API's framework errors are.
    svr.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (res.body.empty())
            send_json(res, res.status, {{"detail", "HTTP error " + std::to_string(res.status)}});
        if (api_of(req.path) == Api::V2) to_v2_envelope(res, state_.new_uuid());
    });
    svr.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown error";
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            std::fprintf(stderr, "rd-sim: handler exception: %s\n", what.c_str());
            send_json(res, 500, detail_error("internal_error", "Simulator error: " + what));
            if (api_of(req.path) == Api::V2) to_v2_envelope(res, state_.new_uuid());
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
    if (auto* tls = dynamic_cast<BurstListener<httplib::SSLServer>*>(server_.get())) {
        tls->raise_backlog(kListenBacklog);
    } else if (auto* plain = dynamic_cast<BurstListener<httplib::Server>*>(server_.get())) {
        plain->raise_backlog(kListenBacklog);
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
