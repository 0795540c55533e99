#pragma once
// One structured log line and one set of metrics per HTTP exchange with the MCP endpoint:
// request id, method, tool, era, HTTP status, outcome, duration. Never the key (nothing here
// ever holds it), never the session id (it is a bearer of the session).
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/metrics.h"
#include "server/log.h"

namespace rdmcp::server {

struct ExchangeRecord {
    std::string log_id;        // "http-17", or the client's X-Request-Id
    std::string remote;        // peer address
    std::string method = "-";  // JSON-RPC method; GET / DELETE for session operations
    std::string tool;          // tools/call only
    std::string era;           // modern / legacy, once known
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// The id a request's log lines carry: the client's X-Request-Id when it is a plausible one
// (letters, digits, - _ . :, at most 64), else "http-<n>" with the next number of `counter`.
std::string log_id_for(std::optional<std::string_view> given,
                       std::atomic<unsigned long long>& counter);

class RequestLog {
  public:
    RequestLog(Logger& logger, HttpMetrics& metrics) : logger_(logger), metrics_(metrics) {}

    // `outcome`: ok, tool_error, error, cancelled, accepted, rejected. `detail`: why, briefly.
    void record(const ExchangeRecord& record, int http_status, std::string_view outcome,
                std::string_view detail = {});

    Logger& logger() { return logger_; }
    HttpMetrics& metrics() { return metrics_; }

  private:
    Logger& logger_;
    HttpMetrics& metrics_;
};

}  // namespace rdmcp::server
