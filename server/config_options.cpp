#include "server/config_options.h"

#include <cerrno>
#include <cstdlib>

#include "server/http/security.h"
#include "tools/toolsets.h"
#include "tools/upstream_client.h"

namespace rdmcp::server {

namespace {

// Why each stdio-only option is refused over HTTP, and what to do instead.
constexpr const char* kSidecarOverHttp =
    "--no-sidecar only applies over stdio: over HTTP nothing is saved on the server";
constexpr const char* kOutputDirOverHttp =
    "over HTTP it would write every caller's images into one directory on the server and tell "
    "each caller the server's path; remove it (over HTTP a result carries its images inline, or "
    "hosted links when the call asks for upload_outputs)";
constexpr const char* kMessageLimitOverHttp =
    "it bounds a line on stdin; over HTTP --max-body-bytes bounds a request: use that instead";

std::optional<long long> parse_integer(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || *end != '\0') return std::nullopt;
    return value;
}

std::optional<std::string> set_bounded(long long& out, const std::string& text, long long lo,
                                       long long hi, const char* what) {
    auto value = parse_integer(text);
    if (!value || *value < lo || *value > hi) {
        return std::string(what) + " must be a whole number from " + std::to_string(lo) + " to " +
               std::to_string(hi) + ", got \"" + text + "\"";
    }
    out = *value;
    return std::nullopt;
}

std::optional<std::string> set_count(std::size_t& out, const std::string& text, long long lo,
                                     long long hi, const char* what) {
    long long n = 0;
    auto error = set_bounded(n, text, lo, hi, what);
    if (!error) out = static_cast<std::size_t>(n);
    return error;
}

std::optional<bool> parse_switch(const std::string& text) {
    if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
    if (text == "0" || text == "false" || text == "no" || text == "off") return false;
    return std::nullopt;
}

std::optional<std::string> set_switch(bool& out, const std::string& text, const char* what) {
    auto value = parse_switch(text);
    if (!value) return std::string(what) + " must be true or false, got \"" + text + "\"";
    out = *value;
    return std::nullopt;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) items.push_back(item);
        start = comma + 1;
    }
    return items;
}

std::optional<std::string> set_seconds(std::chrono::seconds& out, const std::string& text,
                                       long long lo, long long hi, const char* what) {
    long long seconds = 0;
    auto error = set_bounded(seconds, text, lo, hi, what);
    if (!error) out = std::chrono::seconds(seconds);
    return error;
}

// A price limit: USD such as 0.5 or 2.00, or "none" for no limit.
std::optional<std::string> set_usd_limit(std::optional<double>& out, const std::string& text,
                                         const char* what) {
    if (text == "none" || text == "off") {
        out.reset();
        return std::nullopt;
    }
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || errno != 0 || *end != '\0' || !(value >= 0) || value > 1e6) {
        return std::string(what) + " must be an amount in USD such as 0.50 or 2 (or none), got \"" +
               text + "\"";
    }
    out = value;
    return std::nullopt;
}

// A duration such as 24h, 90m, 7d or 3600 (seconds).
std::optional<std::string> set_window(std::chrono::seconds& out, const std::string& text) {
    const std::string problem =
        "--budget-window must be a duration such as 24h, 90m, 7d or "
        "3600s (from 1 minute to 366 days), got \"" +
        text + "\"";
    if (text.empty()) return problem;
    long long unit = 1;
    std::string number = text;
    switch (text.back()) {
        case 's':
            unit = 1;
            number.pop_back();
            break;
        case 'm':
            unit = 60;
            number.pop_back();
            break;
        case 'h':
            unit = 3600;
            number.pop_back();
            break;
        case 'd':
            unit = 86400;
            number.pop_back();
            break;
        default:
            break;
    }
    auto value = parse_integer(number);
    if (!value || *value <= 0 || *value > 366LL * 86400 / unit || *value * unit < 60) {
        return problem;
    }
    out = std::chrono::seconds(*value * unit);
    return std::nullopt;
}

}  // namespace

const std::vector<Option>& options() {
    static const std::vector<Option> table = {
        {"--transport", "RD_MCP_TRANSPORT", kBothTransports, "stdio (default) or http",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v == "stdio")
                 c.transport = Transport::Stdio;
             else if (v == "http")
                 c.transport = Transport::Http;
             else
                 return "--transport must be stdio or http, got \"" + v + "\"";
             return std::nullopt;
         }},
        {"--host", "RD_MCP_HOST", kHttpOnly, "address the HTTP transport binds (default 127.0.0.1)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "--host must not be empty";
             c.host = v;
             return std::nullopt;
         }},
        {"--port", "RD_MCP_PORT", kHttpOnly,
         "port of the HTTP transport (default 8000; 0 picks a free one)",
         [](Config& c, const std::string& v) {
             long long port = 0;
             auto error = set_bounded(port, v, 0, 65535, "--port");
             c.port = static_cast<int>(port);
             return error;
         }},
        {"--upstream-url", "RD_API_BASE_URL", kBothTransports,
         "RetroDiffusion API base URL (default https://api.retrodiffusion.ai)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (auto problem = tools::UpstreamClient::validate_base_url(v)) {
                 return "--upstream-url " + *problem + ", got \"" + v + "\"";
             }
             c.upstream_url = v;
             return std::nullopt;
         }},
        {"--upstream-timeout", "RD_UPSTREAM_TIMEOUT", kBothTransports,
         "seconds to wait for the API to answer (default 300: generations can take minutes)",
         [](Config& c, const std::string& v) {
             long long seconds = 0;
             auto error = set_bounded(seconds, v, 1, 3600, "--upstream-timeout");
             c.upstream_timeout = std::chrono::seconds(seconds);
             return error;
         }},
        {"--upstream-max-response-bytes", "RD_UPSTREAM_MAX_RESPONSE_BYTES", kBothTransports,
         "largest answer accepted from the API (default 134217728 = 128 MiB)",
         [](Config& c, const std::string& v) {
             long long bytes = 0;
             auto error = set_bounded(bytes, v, 1024, 1LL << 34, "--upstream-max-response-bytes");
             c.upstream_max_response_bytes = static_cast<std::size_t>(bytes);
             return error;
         }},
        {"--toolsets", "RD_MCP_TOOLSETS", kBothTransports,
         "the tool groups to offer, comma-separated: generate, jobs, edit, styles, lowpoly "
         "(default all; get_balance, get_service_status, authenticate and logout are always "
         "on). Fewer groups cost the agent less context",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             std::string problem;
             auto chosen = tools::parse_toolsets(v, problem);
             if (!chosen) return problem;
             c.toolsets = std::move(*chosen);
             return std::nullopt;
         }},
        {"--output-schemas", "RD_MCP_OUTPUT_SCHEMAS", kBothTransports,
         "list each tool's outputSchema (about 32 KB more tools/list for every conversation); "
         "for clients that validate or type structured results. The results are the same "
         "either way",
         [](Config& c, const std::string& v) {
             return set_switch(c.output_schemas, v, "--output-schemas");
         },
         true},
        {"--api-version", "RD_API_VERSION", kBothTransports,
         "RetroDiffusion API version: v2 (default: generations admitted as tasks with an "
         "idempotency key, asked again when an answer is lost; results recoverable for 24 h) or "
         "v1 (the frozen fallback)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto version = tools::parse_api_version(v);
             if (!version) return "--api-version must be v2 or v1, got \"" + v + "\"";
             c.api_version = *version;
             return std::nullopt;
         }},
        {"--upstream-ca-file", "RD_UPSTREAM_CA_FILE", kBothTransports,
         "PEM bundle to trust for the API instead of the system's CA store",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "--upstream-ca-file must not be empty";
             c.upstream_ca_file = v;
             return std::nullopt;
         }},
        {"--max-message-bytes", "RD_MCP_MAX_MESSAGE_BYTES", stdio_only(kMessageLimitOverHttp),
         "largest JSON-RPC message, a line on stdin (default 67108864 = 64 MiB)",
         [](Config& c, const std::string& v) {
             long long bytes = 0;
             auto error = set_bounded(bytes, v, 1024, 1LL << 32, "--max-message-bytes");
             c.max_message_bytes = static_cast<std::size_t>(bytes);
             return error;
         }},
        {"--max-concurrency", "RD_MCP_MAX_CONCURRENCY", kBothTransports,
         "tool calls that may run at once (default 64 over stdio, where more wait their turn; "
         "256 over HTTP, where more get 503 + Retry-After)",
         [](Config& c, const std::string& v) {
             long long n = 0;
             auto error = set_bounded(n, v, 1, 10000, "--max-concurrency");
             c.max_concurrency = static_cast<std::size_t>(n);
             return error;
         }},
        {"--output-dir", "RD_MCP_OUTPUT_DIR", stdio_only(kOutputDirOverHttp),
         "also save every generated image in this directory and return the paths",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "--output-dir must not be empty";
             c.output_dir = v;
             return std::nullopt;
         }},
        {"--no-sidecar", "RD_MCP_NO_SIDECAR", stdio_only(kSidecarOverHttp),
         "do not write a .rd.json provenance file beside each image saved with save_to/filename",
         [](Config& c, const std::string& v) {
             return set_switch(c.no_sidecar, v, "--no-sidecar");
         },
         true},
        {"--inline-image-budget", "RD_MCP_INLINE_IMAGE_BUDGET", kBothTransports,
         "bytes of images one result carries inline (default 524288); above it they become "
         "files (stdio) or links",
         [](Config& c, const std::string& v) {
             long long bytes = 0;
             auto error = set_bounded(bytes, v, 0, 1LL << 32, "--inline-image-budget");
             c.inline_image_budget = static_cast<std::size_t>(bytes);
             return error;
         }},
        {"--progress-interval-ms", "RD_MCP_PROGRESS_INTERVAL_MS", kBothTransports,
         "milliseconds between progress notifications while a call waits (default 5000)",
         [](Config& c, const std::string& v) {
             long long ms = 0;
             auto error = set_bounded(ms, v, 100, 60000, "--progress-interval-ms");
             c.progress_interval = std::chrono::milliseconds(ms);
             return error;
         }},
        {"--job-secret", "RD_MCP_JOB_SECRET", kBothTransports,
         "secret mixed into job/task ids; give every replica the same one (default: none, ids "
         "are bound to the caller's key alone)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             c.job_secret = v;
             return std::nullopt;
         }},
        {"--task-inline-wait-ms", "RD_MCP_TASK_INLINE_WAIT_MS", kBothTransports,
         "Tasks-capable clients: how long create_inference waits before answering with a task "
         "(default 4000)",
         [](Config& c, const std::string& v) {
             long long ms = 0;
             auto error = set_bounded(ms, v, 0, 600000, "--task-inline-wait-ms");
             c.task_inline_wait = std::chrono::milliseconds(ms);
             return error;
         }},
        {"--confirm-above", "RD_CONFIRM_ABOVE", kBothTransports,
         "USD: a call priced above it is sent only after the user confirms it (elicitation); "
         "default 1.00 over stdio, none over HTTP; \"none\" turns confirmation off",
         [](Config& c, const std::string& v) {
             std::optional<double> limit;
             auto error = set_usd_limit(limit, v, "--confirm-above");
             c.confirm_above = limit;
             return error;
         }},
        {"--max-cost-per-call", "RD_MAX_COST_PER_CALL", kBothTransports,
         "USD: a call priced above it is refused, confirmed or not (default none)",
         [](Config& c, const std::string& v) {
             return set_usd_limit(c.max_cost_per_call, v, "--max-cost-per-call");
         }},
        {"--budget", "RD_BUDGET", kBothTransports,
         "USD one API key may spend per --budget-window: over stdio for this process, over "
         "HTTP per key on this replica (default none)",
         [](Config& c, const std::string& v) { return set_usd_limit(c.budget, v, "--budget"); }},
        {"--budget-window", "RD_BUDGET_WINDOW", kBothTransports,
         "the rolling window of --budget: 24h (default), 90m, 7d, 3600s",
         [](Config& c, const std::string& v) { return set_window(c.budget_window, v); }},
        {"--path", "RD_MCP_PATH", kHttpOnly, "the MCP endpoint's path (default /mcp)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             if (v.size() < 2 || v.front() != '/' ||
                 v.find_first_of("?# \t") != std::string::npos) {
                 return "--path must be a path such as /mcp, got \"" + v + "\"";
             }
             if (v == "/healthz" || v == "/readyz" || v == "/metrics") {
                 return "--path must not be " + v + ", which the HTTP transport serves itself";
             }
             c.http_path = v;
             return std::nullopt;
         }},
        {"--stateless", "RD_MCP_STATELESS", kHttpOnly,
         "no sessions for 2025-era clients (each request stands alone, so any replica can "
         "answer it); 2026-07-28 clients are always stateless",
         [](Config& c, const std::string& v) { return set_switch(c.stateless, v, "--stateless"); },
         true},
        {"--require-auth", "RD_MCP_REQUIRE_AUTH", kHttpOnly,
         "answer 401 to requests without 'Authorization: Bearer <key>' (by default "
         "discovery, tools/list and list_available_styles work without a key)",
         [](Config& c, const std::string& v) {
             return set_switch(c.require_auth, v, "--require-auth");
         },
         true},
        {"--allowed-origins", "RD_MCP_ALLOWED_ORIGINS", kHttpOnly,
         "comma-separated browser origins allowed besides loopback ones, e.g. "
         "https://app.example.com (\"*\": any origin)",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             c.allowed_origins.clear();
             for (const auto& origin : split_list(v)) {
                 if (origin != "*" && !normalise_origin(origin)) {
                     return "--allowed-origins entries must look like https://host[:port], got \"" +
                            origin + "\"";
                 }
                 c.allowed_origins.push_back(origin);
             }
             return std::nullopt;
         }},
        {"--max-body-bytes", "RD_MCP_MAX_BODY_BYTES", kHttpOnly,
         "largest request body (default 33554432 = 32 MiB; larger gets 413)",
         [](Config& c, const std::string& v) {
             long long bytes = 0;
             auto error = set_bounded(bytes, v, 1024, 1LL << 32, "--max-body-bytes");
             c.max_body_bytes = static_cast<std::size_t>(bytes);
             return error;
         }},
        {"--max-inflight-body-bytes", "RD_MCP_MAX_INFLIGHT_BODY_BYTES", kHttpOnly,
         "request bodies held at once over all connections (default a quarter of the "
         "memory this process may use; more gets 503)",
         [](Config& c, const std::string& v) {
             long long bytes = 0;
             auto error = set_bounded(bytes, v, 1 << 20, 1LL << 40, "--max-inflight-body-bytes");
             c.max_inflight_body_bytes = static_cast<std::size_t>(bytes);
             return error;
         }},
        {"--max-header-bytes", "RD_MCP_MAX_HEADER_BYTES", kHttpOnly,
         "largest request head, request line and headers (default 65536; larger gets 431)",
         [](Config& c, const std::string& v) {
             long long bytes = 0;
             auto error = set_bounded(bytes, v, 1024, 1 << 20, "--max-header-bytes");
             c.max_header_bytes = static_cast<std::size_t>(bytes);
             return error;
         }},
        {"--max-header-lines", "RD_MCP_MAX_HEADER_LINES", kHttpOnly,
         "most header lines in a request (default 100; more gets 431)",
         [](Config& c, const std::string& v) {
             long long n = 0;
             auto error = set_bounded(n, v, 8, 10000, "--max-header-lines");
             c.max_header_lines = static_cast<std::size_t>(n);
             return error;
         }},
        {"--header-timeout", "RD_MCP_HEADER_TIMEOUT", kHttpOnly,
         "seconds a request head may take to arrive in full (default 10; then 408)",
         [](Config& c, const std::string& v) {
             return set_seconds(c.header_timeout, v, 1, 300, "--header-timeout");
         }},
        {"--body-timeout", "RD_MCP_BODY_TIMEOUT", kHttpOnly,
         "seconds a request body may take to arrive in full (default 60)",
         [](Config& c, const std::string& v) {
             return set_seconds(c.body_timeout, v, 1, 3600, "--body-timeout");
         }},
        {"--max-connections", "RD_MCP_MAX_CONNECTIONS", kHttpOnly,
         "connections served at once, one thread each (default 1024; at least twice "
         "--max-concurrency)",
         [](Config& c, const std::string& v) {
             long long n = 0;
             auto error = set_bounded(n, v, 8, 100000, "--max-connections");
             c.max_connections = static_cast<std::size_t>(n);
             return error;
         }},
        {"--max-sessions", "RD_MCP_MAX_SESSIONS", kHttpOnly,
         "open 2025-era sessions (default 10000); when full, an opener's own least "
         "recently used idle session makes room, else it gets 503",
         [](Config& c, const std::string& v) {
             long long n = 0;
             auto error = set_bounded(n, v, 1, 10000000, "--max-sessions");
             c.max_sessions = static_cast<std::size_t>(n);
             return error;
         }},
        {"--max-sessions-per-key", "RD_MCP_MAX_SESSIONS_PER_KEY", kHttpOnly,
         "sessions one key (or the absent key) may hold (default 100; 0: no quota); over "
         "it the key's own least recently used idle session goes, else 429",
         [](Config& c, const std::string& v) {
             return set_count(c.max_sessions_per_key, v, 0, 10000000, "--max-sessions-per-key");
         }},
        {"--max-sessions-per-client", "RD_MCP_MAX_SESSIONS_PER_CLIENT", kHttpOnly,
         "sessions one client address may hold (default 1000; 0: no quota), else 429",
         [](Config& c, const std::string& v) {
             return set_count(c.max_sessions_per_client, v, 0, 10000000,
                              "--max-sessions-per-client");
         }},
        {"--trust-proxy", "RD_MCP_TRUST_PROXY", kHttpOnly,
         "behind a reverse proxy you run, take the client address (for "
         "--max-sessions-per-client) from the last X-Forwarded-For entry",
         [](Config& c, const std::string& v) {
             return set_switch(c.trust_proxy, v, "--trust-proxy");
         },
         true},
        {"--session-idle-timeout", "RD_MCP_SESSION_IDLE_TIMEOUT", kHttpOnly,
         "seconds a session may go unused before it expires (default 1800)",
         [](Config& c, const std::string& v) {
             return set_seconds(c.session_idle_timeout, v, 1, 7 * 24 * 3600,
                                "--session-idle-timeout");
         }},
        {"--shutdown-grace-seconds", "RD_MCP_SHUTDOWN_GRACE_SECONDS", kHttpOnly,
         "on SIGTERM, seconds in-flight calls get to finish before they are cancelled "
         "(default 20)",
         [](Config& c, const std::string& v) {
             return set_seconds(c.shutdown_grace, v, 0, 3600, "--shutdown-grace-seconds");
         }},
        {"--sse-keepalive-seconds", "RD_MCP_SSE_KEEPALIVE_SECONDS", kHttpOnly,
         "seconds between keep-alive comments on quiet SSE streams (default 15)",
         [](Config& c, const std::string& v) {
             return set_seconds(c.sse_keepalive, v, 1, 3600, "--sse-keepalive-seconds");
         }},
        {"--log-level", "RD_MCP_LOG_LEVEL", kBothTransports, "error, warn, info (default) or debug",
         [](Config& c, const std::string& v) -> std::optional<std::string> {
             auto level = parse_log_level(v);
             if (!level) return "--log-level must be error, warn, info or debug, got \"" + v + "\"";
             c.log_level = *level;
             return std::nullopt;
         }},
    };
    return table;
}

const Option* find_option(const std::string& flag) {
    for (const auto& option : options()) {
        if (flag == option.flag) return &option;
    }
    return nullptr;
}

}  // namespace rdmcp::server
