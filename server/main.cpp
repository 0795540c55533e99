// retrodiffusion-mcp: an MCP server for the RetroDiffusion pixel-art API.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "protocol/mcp_server.h"
#include "server/config.h"
#include "server/free_memory.h"
#include "server/http/transport.h"
#include "server/log.h"
#include "server/stdio/transport.h"
#include "tools/retrodiffusion_tools.h"
#include "version.h"

namespace {

using namespace rdmcp;

int fail(const std::string& message) {
    std::fprintf(stderr, "retrodiffusion-mcp: error: %s\n", message.c_str());
    return 2;
}

// Signals are taken by one thread with sigwait, so no handler runs in the middle of our code.
sigset_t shutdown_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

protocol::McpServer make_server(const server::Config& config, server::Logger& logger) {
    tools::UpstreamConfig upstream;
    upstream.base_url = config.upstream_url;
    upstream.read_timeout = config.upstream_timeout;
    upstream.ca_file = config.upstream_ca_file;
    upstream.max_response_bytes = config.upstream_max_response_bytes;
    upstream.user_agent = std::string(kServerName) + "/" + kServerVersion;
    upstream.api_version = config.api_version;
    // One line per failed API call, with the API's request id: what RetroDiffusion support needs
    // to find the call on their side. The key is already redacted from every field.
    upstream.on_failure = [&logger](const std::string& log_id, const tools::UpstreamError& error) {
        using Kind = tools::UpstreamError::Kind;
        if (error.kind == Kind::MissingKey || error.kind == Kind::Cancelled)
            return;  // not failures
        logger.warn("upstream_error", {{"id", log_id},
                                       {"call", error.method + " " + error.path},
                                       {"status", std::to_string(error.status)},
                                       {"code", error.code},
                                       {"request_id", error.request_id},
                                       {"detail", error.summary()}});
    };
    auto client = std::make_shared<const tools::UpstreamClient>(upstream);

    tools::ToolsConfig tools_config;
    tools_config.local_files_allowed = config.transport == server::Transport::Stdio;
    tools_config.output_dir = config.output_dir;
    tools_config.sidecars = !config.no_sidecar;
    tools_config.toolsets = config.toolsets;
    tools_config.output_schemas = config.output_schemas;
    tools_config.inline_image_budget_bytes = config.inline_image_budget;
    tools_config.progress_interval = config.progress_interval;
    tools_config.job_secret = config.job_secret;
    tools_config.task_inline_wait = config.task_inline_wait;
    tools_config.spend_limits = {.confirm_above = config.effective_confirm_above(),
                                 .max_cost_per_call = config.max_cost_per_call,
                                 .budget = config.budget,
                                 .budget_window = config.budget_window};
    auto tool_set = tools::make_tool_set(client, tools_config);
    return protocol::McpServer(
        {kServerName, "RetroDiffusion pixel art", kServerVersion, tools::server_instructions()},
        std::move(tool_set.registry), std::move(tool_set.tasks), std::move(tool_set.resources),
        std::move(tool_set.prompts));
}

int serve_stdio(const server::Config& config, server::Logger& logger) {
    const auto server = make_server(config, logger);
    server::StdioTransport transport(server,
                                     {.api_key = config.api_key,
                                      .max_message_bytes = config.max_message_bytes,
                                      .max_concurrency = config.effective_max_concurrency()},
                                     logger);
    sigset_t signals = shutdown_signals();
    sigaddset(&signals, SIGUSR1);  // our own wake-up when stdin ends first
    std::thread signal_thread([&] {
        int signal = 0;
        if (sigwait(&signals, &signal) == 0 && signal != SIGUSR1) {
            logger.info("shutdown", {{"signal", std::to_string(signal)}});
            transport.stop();
        }
    });
    logger.info("started", {{"transport", "stdio"},
                            {"version", kServerVersion},
                            {"upstream", config.upstream_url},
                            {"api_version", tools::api_version_name(config.api_version)},
                            {"api_key", config.api_key.empty() ? "absent" : "present"}});
    const int code = transport.run();
    // Wake the signal thread if no signal came, so it can be joined.
    pthread_kill(signal_thread.native_handle(), SIGUSR1);
    signal_thread.join();
    return code;
}

server::HttpOptions http_options(const server::Config& config) {
    server::HttpOptions options;
    options.host = config.host;
    options.port = config.port;
    options.path = config.http_path;
    options.stateless = config.stateless;
    options.require_auth = config.require_auth;
    options.allowed_origins = config.allowed_origins;
    options.max_body_bytes = config.max_body_bytes;
    options.max_inflight_body_bytes =
        config.max_inflight_body_bytes
            ? config.max_inflight_body_bytes
            : std::max(server::usable_memory_bytes() / 4, config.max_body_bytes);
    options.max_header_bytes = config.max_header_bytes;
    options.max_header_lines = config.max_header_lines;
    options.header_timeout = config.header_timeout;
    options.body_timeout = config.body_timeout;
    options.max_concurrency = config.effective_max_concurrency();
    options.max_connections = config.max_connections;
    options.max_sessions = config.max_sessions;
    options.max_sessions_per_key = config.max_sessions_per_key;
    options.max_sessions_per_client = config.max_sessions_per_client;
    options.trust_proxy = config.trust_proxy;
    options.session_idle_timeout = config.session_idle_timeout;
    options.shutdown_grace = config.shutdown_grace;
    options.sse_keepalive = config.sse_keepalive;
    return options;
}

// Over HTTP the key arrives with each request; SIGTERM drains (in-flight calls finish within
// the grace period) and the process exits 0.
int serve_http(const server::Config& config, server::Logger& logger) {
    const auto server = make_server(config, logger);
    server::HttpTransport transport(server, http_options(config), logger);
    transport.bind();
    sigset_t signals = shutdown_signals();
    sigaddset(&signals, SIGUSR1);  // our own wake-up when the transport ends on its own
    std::thread signal_thread([&] {
        int signal = 0;
        if (sigwait(&signals, &signal) == 0 && signal != SIGUSR1) {
            logger.info("shutdown", {{"signal", std::to_string(signal)}});
            transport.shutdown();
        }
    });
    logger.info(
        "started",
        {{"transport", "http"}, {"version", kServerVersion}, {"upstream", config.upstream_url}});
    const int code = transport.run();
    pthread_kill(signal_thread.native_handle(), SIGUSR1);
    signal_thread.join();
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    // A client that goes away must not kill us with SIGPIPE; writes fail instead.
    signal(SIGPIPE, SIG_IGN);
    server::configure_allocator();  // before any thread: large blocks go back to the system
    sigset_t blocked = shutdown_signals();
    sigaddset(&blocked, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &blocked, nullptr);  // inherited by every thread started below

    const std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = server::parse_command_line(args);
    if (parsed.show_help) {
        std::cout << server::usage_text();
        return 0;
    }
    if (parsed.show_version) {
        std::cout << kServerName << " " << kServerVersion << "\n";
        return 0;
    }
    if (!parsed.config) return fail(parsed.error);
    const auto& config = *parsed.config;

    server::Logger logger(config.log_level);
    for (const auto& warning : parsed.warnings) logger.warn("configuration", {{"note", warning}});
    try {
        if (config.transport == server::Transport::Http) return serve_http(config, logger);
        return serve_stdio(config, logger);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}
