#pragma once
// The command line and environment, read once into a validated Config. Every flag has an
// environment variable; a flag wins over its variable, which wins over the default.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/log.h"
#include "tools/api_version.h"

namespace rdmcp::server {

enum class Transport { Stdio, Http };

struct Config {
    Transport transport = Transport::Stdio;
    std::string host = "127.0.0.1";
    int port = 8000;
    std::string upstream_url = "https://api.retrodiffusion.ai";
    std::chrono::seconds upstream_timeout{300};
    std::string upstream_ca_file;
    tools::ApiVersion api_version = tools::ApiVersion::V2;
    std::size_t upstream_max_response_bytes = 128u << 20;
    std::size_t max_message_bytes = 64u << 20;  // stdio only: a line on stdin
    // Tool calls running at once; unset: 64 over stdio, 256 over HTTP (they mostly wait on the
    // upstream, so well above the core count).
    std::optional<std::size_t> max_concurrency;
    LogLevel log_level = LogLevel::Info;
    std::string output_dir;   // stdio only: save every generated image here
    bool no_sidecar = false;  // stdio only: no .rd.json beside images saved with save_to
    std::set<std::string> toolsets;
    bool output_schemas = false;  // list each tool's outputSchema (tools/list grows by ~32 KB)  //
                                  // the tool groups offered; empty: all
    std::size_t inline_image_budget = 512u << 10;  // decoded bytes of images inline per result
    std::chrono::milliseconds progress_interval{5000};
    std::string job_secret;  // MAC secret for job/task ids (replicas share it)
    std::chrono::milliseconds task_inline_wait{4000};
    // Spend limits (tools/spend_limits.h). confirm_above unset: $1.00 over stdio, none over
    // HTTP; "none" sets it to nothing on purpose.
    std::optional<std::optional<double>> confirm_above;
    std::optional<double> max_cost_per_call;
    std::optional<double> budget;
    std::chrono::seconds budget_window{24 * 3600};
    // stdio only: the caller's key, from RD_API_KEY. Over HTTP each request brings its own.
    std::string api_key;

    // HTTP only.
    std::string http_path = "/mcp";
    bool stateless = false;                    // legacy clients without sessions
    bool require_auth = false;                 // 401 without a key
    std::vector<std::string> allowed_origins;  // browser origins besides loopback ("*": any)
    std::size_t max_body_bytes = 32u << 20;
    std::size_t max_connections = 1024;
    std::size_t max_inflight_body_bytes = 0;  // 0: a quarter of the memory we may use
    std::size_t max_header_bytes = 64u << 10;
    std::size_t max_header_lines = 100;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds body_timeout{60};
    std::size_t max_sessions = 10000;
    std::size_t max_sessions_per_key = 100;      // 0: no quota
    std::size_t max_sessions_per_client = 1000;  // 0: no quota
    std::chrono::seconds session_idle_timeout{1800};
    bool trust_proxy = false;  // the client address is the last X-Forwarded-For entry
    std::chrono::seconds shutdown_grace{20};
    std::chrono::seconds sse_keepalive{15};

    // The confirmation threshold in force: the one given, else the transport's default.
    std::optional<double> effective_confirm_above() const;

    std::size_t effective_max_concurrency() const {
        return max_concurrency.value_or(transport == Transport::Http ? 256 : 64);
    }
};

struct ParsedCommandLine {
    std::optional<Config> config;       // set when the server should start
    std::string error;                  // one line, when the arguments are wrong
    std::vector<std::string> warnings;  // one line each, for the log once it is open
    bool show_help = false;
    bool show_version = false;
};

// `environment` is consulted through this function so tests need not touch the process's.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_environment(const char* name);

ParsedCommandLine parse_command_line(const std::vector<std::string>& args,
                                     EnvironmentLookup environment = process_environment);

std::string usage_text();

}  // namespace rdmcp::server
