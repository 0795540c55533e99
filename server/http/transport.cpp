#include "server/http/transport.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "common/text.h"
#include "server/http/client_address.h"
#include "server/http/connection_queue.h"
#include "server/http/listener.h"
#include "server/http/ops.h"
#include "server/http/replies.h"
#include "server/http/request_body.h"

namespace rdmcp::server {

using protocol::Json;

namespace {

constexpr int kListenBacklog =
    1024;  // cpp-httplib compiles in 5: a burst would wait for SYN retries

// cpp-httplib routes by regular expression; our path is a literal.
std::string escape_regex(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string url_host(const std::string& host) {
    if (host.find(':') != std::string::npos && host.front() != '[') return "[" + host + "]";
    return host;
}

}  // namespace

HttpTransport::HttpTransport(const protocol::McpServer& server, HttpOptions options, Logger& logger)
    : server_(server),
      options_(std::move(options)),
      logger_(logger),
      metrics_(server.tools().names()),
      log_(logger_, metrics_),
      origins_(options_.allowed_origins, options_.host, options_.port),
      endpoint_(server_, options_, log_, draining_),
      body_budget_(options_.max_inflight_body_bytes),
      http_(std::make_unique<HttpListener>(
          connection_limits(options_), draining_,
          [this](int status, std::string_view reason, std::string_view remote) {
              metrics_.record_response(status);
              logger_.warn("request_refused", {{"status", std::to_string(status)},
                                               {"reason", std::string(reason)},
                                               {"remote", std::string(remote)}});
          })) {
    install_limits();
    install_routes();
}

HttpTransport::~HttpTransport() {
    if (drain_thread_.joinable()) drain_thread_.join();
}

void HttpTransport::install_limits() {
    auto& http = *http_;
    http.new_task_queue = [this] {
        return new ConnectionQueue(options_.max_connections, open_connections_, warmed_, logger_);
    };
    // Only SO_REUSEADDR: cpp-httplib's default SO_REUSEPORT would let a second server bind the
    // same port silently and take half the connections.
    http.set_socket_options([](socket_t socket) {
        int yes = 1;
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_tcp_nodelay(true);  // an SSE event goes out when written
    http.set_payload_max_length(options_.max_body_bytes);
    http.set_read_timeout(options_.client_timeout);
    http.set_write_timeout(options_.client_timeout);
    http.set_keep_alive_timeout(options_.keep_alive_timeout.count());
    http.set_keep_alive_max_count(options_.keep_alive_max_requests);

    http.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
            return refuse_unexpected_body(request, response);
        });
    // Every error status gets a JSON body, including the ones cpp-httplib decides (400 for a
    // malformed request line, 404 for other paths, 414 for a long URI).
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& response) {
            if (!response.body.empty() || response.content_provider_) {
                return httplib::Server::HandlerResponse::Unhandled;
            }
            std::string message = "HTTP " + std::to_string(response.status);
            if (response.status == 404) message = "Not Found: the MCP endpoint is " + options_.path;
            if (response.status == 400)
                message = "Bad Request: the HTTP request could not be parsed";
            if (response.status == 414) message = "URI Too Long";
            reply_error(response, response.status, nullptr, {-32000, message, {}});
            return httplib::Server::HandlerResponse::Handled;
        }));
    // No request can take the process down: a handler's exception becomes a 500.
    http.set_exception_handler([this](const httplib::Request& request, httplib::Response& response,
                                      std::exception_ptr exception) {
        std::string what = "unknown exception";
        try {
            if (exception) std::rethrow_exception(exception);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        logger_.error("handler_failed", {{"path", request.path}, {"reason", what}});
        reply_error(response, 500, nullptr,
                    {protocol::error_code::kInternalError, "Internal error: " + what, {}});
    });
    http.set_logger([this](const httplib::Request&, const httplib::Response& response) {
        metrics_.record_response(response.status);
    });
}

void HttpTransport::install_routes() {
    auto& http = *http_;
    const std::string endpoint = escape_regex(options_.path);

    http.Post(endpoint,
              [this](const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& reader) { post(request, response, reader); });
    http.Get(endpoint, [this](const httplib::Request& request, httplib::Response& response) {
        if (auto caller = admit(request, response, true))
            endpoint_.get(request, response, std::move(*caller));
    });
    http.Delete(endpoint, [this](const httplib::Request& request, httplib::Response& response) {
        if (auto caller = admit(request, response, true))
            endpoint_.del(request, response, std::move(*caller));
    });
    http.Options(endpoint, [this](const httplib::Request& request, httplib::Response& response) {
        preflight(request, response);
    });
    const auto not_allowed = [this](const httplib::Request& request, httplib::Response& response) {
        if (!admit(request, response, false)) return;
        response.set_header("Allow", "GET, POST, DELETE, OPTIONS");
        reply_error(response, 405, nullptr, {-32000, "Method not allowed", {}});
    };
    http.Put(endpoint, not_allowed);
    http.Patch(endpoint, not_allowed);

    http.Get("/healthz", [this](const httplib::Request& request, httplib::Response& response) {
        if (admit(request, response, false)) reply_health(response);
    });
    http.Get("/readyz", [this](const httplib::Request& request, httplib::Response& response) {
        if (admit(request, response, false)) reply_readiness(response, draining_.load());
    });
    http.Get("/metrics", [this](const httplib::Request& request, httplib::Response& response) {
        if (admit(request, response, false)) reply_metrics(response, metrics_, gauges());
    });
}

std::string HttpTransport::request_id(const httplib::Request& request) {
    return log_id_for(header_value(request, "X-Request-Id"), request_counter_);
}

std::optional<Caller> HttpTransport::admit(const httplib::Request& request,
                                           httplib::Response& response, bool mcp_endpoint) {
    Caller caller;
    caller.record.log_id = request_id(request);
    caller.record.remote = request.remote_addr;
    caller.address = client_address(request, options_.trust_proxy);
    caller.record.method = request.method;
    response.set_header("X-Request-Id", caller.record.log_id);

    const auto origin = header_value(request, "Origin");
    if (!origins_.origin_allowed(origin)) {
        reject(response, log_, caller.record, nullptr,
               {403,
                {-32000,
                 "Forbidden: origin " + quote_prefix(*origin) +
                     " is not allowed (loopback "
                     "origins are; add others with --allowed-origins)",
                 {}},
                "origin"});
        return std::nullopt;
    }
    if (!origins_.host_allowed(header_value(request, "Host"))) {
        reject(response, log_, caller.record, nullptr,
               {403,
                {-32000,
                 "Forbidden: while bound to a loopback address this server answers "
                 "only Host: localhost, 127.0.0.1 or [::1] (DNS rebinding protection)",
                 {}},
                "host"});
        return std::nullopt;
    }
    if (origin) {
        for (const auto& header : cors_response_headers(*origin)) {
            response.set_header(header.name, header.value);
        }
    }
    if (mcp_endpoint) {
        auto bearer = parse_authorization(header_value(request, "Authorization"));
        const bool malformed = bearer.kind == BearerKey::Kind::Malformed;
        if (malformed || (bearer.kind == BearerKey::Kind::Absent && options_.require_auth)) {
            response.set_header("WWW-Authenticate", bearer_challenge(malformed));
            reject(response, log_, caller.record, nullptr,
                   {401,
                    {-32000,
                     malformed ? "Unauthorized: the Authorization header must be "
                                 "'Bearer <your RetroDiffusion API key>'"
                               : "Unauthorized: this server needs your RetroDiffusion "
                                 "API key as 'Authorization: Bearer <key>'",
                     {}},
                    malformed ? "malformed key" : "no key"});
            return std::nullopt;
        }
        caller.api_key = std::move(bearer.key);
    }
    return caller;
}

void HttpTransport::post(const httplib::Request& request, httplib::Response& response,
                         const httplib::ContentReader& reader) {
    // Origin, Host and the key are judged from the headers: the body of a refused request is
    // never read, and the connection closes after the answer (see connection.h); the client is
    // told so until the body has been read.
    const bool chunked = request.has_header("Transfer-Encoding");
    if (has_body(request)) response.set_header("Connection", "close");
    auto caller = admit(request, response, true);
    if (!caller) return;
    caller->record.method = "POST";
    auto body = read_request_body(request, reader, options_, body_budget_);
    if (auto* rejection = std::get_if<Rejection>(&body)) {
        reject(response, log_, caller->record, nullptr, *rejection);
        return;
    }
    auto& read = std::get<RequestBody>(body);
    if (!chunked) response.headers.erase("Connection");  // read in full: the connection goes on
    caller->body_hold = std::move(read.hold);
    endpoint_.post(request, response, std::move(read.text), std::move(*caller));
}

// A request with a body anywhere but a POST to the MCP endpoint is answered from its headers.
httplib::Server::HandlerResponse HttpTransport::refuse_unexpected_body(
    const httplib::Request& request, httplib::Response& response) {
    const auto refusal = refusal_for_unexpected_body(request, options_.path);
    if (!refusal) return httplib::Server::HandlerResponse::Unhandled;
    if (refusal->http_status == 405) response.set_header("Allow", "GET, POST, DELETE, OPTIONS");
    reply_error(response, refusal->http_status, nullptr, refusal->error);
    response.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
}

void HttpTransport::preflight(const httplib::Request& request, httplib::Response& response) {
    const auto origin = header_value(request, "Origin");
    if (!origins_.origin_allowed(origin) || !origins_.host_allowed(header_value(request, "Host"))) {
        reply_error(response, 403, nullptr, {-32000, "Forbidden: origin not allowed", {}});
        return;
    }
    if (origin) {
        for (const auto& header : cors_preflight_headers(*origin)) {
            response.set_header(header.name, header.value);
        }
    }
    response.set_header("Allow", "GET, POST, DELETE, OPTIONS");
    reply_empty(response, 204);
}

HttpMetrics::Gauges HttpTransport::gauges() {
    auto& runner = endpoint_.runner();
    HttpMetrics::Gauges gauges;
    gauges.requests_in_flight = runner.requests_in_flight();
    gauges.tool_calls_in_flight = static_cast<long>(runner.slots_in_use());
    gauges.tool_call_slots = static_cast<long>(runner.slots());
    gauges.open_streams = static_cast<long>(runner.open_streams());
    gauges.open_connections = open_connections_.load();
    gauges.sessions = static_cast<long>(endpoint_.sessions().size());
    gauges.draining = draining_.load();
    return gauges;
}

int HttpTransport::bind() {
    if (options_.port == 0) {
        port_ = http_->bind_to_any_port(options_.host);
    } else {
        port_ = http_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
    }
    if (port_ < 0) {
        throw std::runtime_error("cannot listen on " + options_.host + ":" +
                                 std::to_string(options_.port) +
                                 " (address in use, or not an address of this machine)");
    }
    http_->raise_backlog(kListenBacklog);
    origins_.set_bound_port(port_);
    return port_;
}

std::string HttpTransport::url() const {
    return "http://" + url_host(options_.host) + ":" + std::to_string(port_) + options_.path;
}

// cpp-httplib's compiled library sets up function-local statics on first use (its table of
// methods, the client's response-line regex, the chunked-body terminator). A thread sanitizer
// cannot see inside the uninstrumented library, so the first concurrent uses would be reported
// as races, burying real ones. One request of each kind, made before we announce the URL and
// ordered before every later connection (warmed_), sets them up first. Also a self-check.
void HttpTransport::warm_up() {
    for (int i = 0; i < 2000 && !http_->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (auto problem = check_ops_endpoints(options_.host, port_)) {
        logger_.warn("self_check_failed", {{"reason", *problem}});
    }
    for (int i = 0; i < 200 && open_connections_.load() > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    warmed_.store(true, std::memory_order_release);
    logger_.info("listening", {{"url", url()},
                               {"sessions", options_.stateless ? "stateless" : "legacy sessions"},
                               {"require_auth", options_.require_auth ? "yes" : "no"},
                               {"max_concurrency", std::to_string(options_.max_concurrency)}});
}

int HttpTransport::run() {
    if (port_ < 0) bind();
    std::thread warm_up_thread([this] { warm_up(); });
    const bool clean = http_->listen_after_bind();
    warm_up_thread.join();
    {
        std::lock_guard lock(finished_mutex_);
        finished_ = true;
    }
    finished_changed_.notify_all();
    // shutdown() starts the drain thread under the mutex and only before finished_ was set.
    if (drain_thread_.joinable()) drain_thread_.join();
    endpoint_.runner().stop_workers();
    endpoint_.sessions().close_all("the server stopped");
    logger_.info("stopped", {});
    return clean || draining_.load() ? 0 : 1;
}

void HttpTransport::shutdown() {
    std::lock_guard lock(finished_mutex_);
    if (draining_.exchange(true) || finished_) return;
    drain_thread_ = std::thread([this] { drain(); });
}

void HttpTransport::drain() {
    logger_.info("draining",
                 {{"requests_in_flight", std::to_string(endpoint_.runner().requests_in_flight())},
                  {"grace_seconds", std::to_string(options_.shutdown_grace.count())}});
    // No new connections; long-lived streams end (they watch draining_); new requests on open
    // connections get 503 with Connection: close; idle keep-alive connections time out.
    http_->stop_accepting();
    if (!endpoint_.runner().wait_idle(options_.shutdown_grace)) {
        logger_.warn(
            "grace_period_over",
            {{"requests_in_flight", std::to_string(endpoint_.runner().requests_in_flight())}});
        endpoint_.runner().cancel_all(kShutdownReason);
    }
    // The last answers are being written. A client that stops reading is dropped after the
    // write timeout; if even that does not end it, leave anyway.
    std::unique_lock lock(finished_mutex_);
    const auto patience =
        options_.client_timeout + options_.keep_alive_timeout + std::chrono::seconds(5);
    if (!finished_changed_.wait_for(lock, patience, [this] { return finished_; })) {
        logger_.error("shutdown_forced",
                      {{"open_connections", std::to_string(open_connections_.load())}});
        std::_Exit(0);
    }
}

}  // namespace rdmcp::server
