#pragma once
// MCP over Streamable HTTP on cpp-httplib: one MCP endpoint (--path, both protocol
// generations), /healthz, /readyz and /metrics. This file is the routing: every request is
// admitted (Origin, Host, key) and handed to the MCP endpoint (endpoint.h) or an operations
// handler (ops.h); the rules live in security, headers, exchange and the other files here.
//
// Threads: cpp-httplib's listener; one thread per open connection (started on demand, at most
// --max-connections); one worker per running upstream call (at most --max-concurrency).
// Shutdown: stop accepting, end long-lived streams, let requests finish for the grace period,
// cancel what is left (its answer is still sent), and return once the last connection is gone.
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "protocol/mcp_server.h"
#include "server/http/body_budget.h"
#include "server/http/endpoint.h"
#include "server/http/listener.h"
#include "server/http/metrics.h"
#include "server/http/options.h"
#include "server/http/request_log.h"
#include "server/http/security.h"
#include "server/log.h"

namespace rdmcp::server {

class HttpTransport {
  public:
    HttpTransport(const protocol::McpServer& server, HttpOptions options, Logger& logger);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // Binds the listening socket; the port (the system's pick for --port 0). Throws when the
    // address cannot be bound.
    int bind();
    // http://host:port/path, once bound.
    std::string url() const;

    // Serves until shutdown() has finished draining. Returns the process exit code.
    int run();

    // From any thread (a signal thread); returns at once, run() returns when drained.
    void shutdown();

  private:
    void install_routes();
    void install_limits();
    std::optional<Caller> admit(const httplib::Request& request, httplib::Response& response,
                                bool mcp_endpoint);
    void post(const httplib::Request& request, httplib::Response& response,
              const httplib::ContentReader& reader);
    httplib::Server::HandlerResponse refuse_unexpected_body(const httplib::Request& request,
                                                            httplib::Response& response);
    void preflight(const httplib::Request& request, httplib::Response& response);
    HttpMetrics::Gauges gauges();
    void drain();
    void warm_up();
    std::string request_id(const httplib::Request& request);

    const protocol::McpServer& server_;
    const HttpOptions options_;
    Logger& logger_;
    HttpMetrics metrics_;
    RequestLog log_;
    OriginPolicy origins_;
    std::atomic<bool> draining_{false};
    std::atomic<long> open_connections_{0};
    std::atomic<bool> warmed_{false};
    std::atomic<unsigned long long> request_counter_{0};
    McpEndpoint endpoint_;
    BodyBudget body_budget_;
    std::unique_ptr<HttpListener> http_;
    int port_ = -1;

    std::thread drain_thread_;
    std::mutex finished_mutex_;
    std::condition_variable finished_changed_;
    bool finished_ = false;
};

}  // namespace rdmcp::server
