#pragma once
// Everything the Streamable HTTP transport is told by the command line, in one value. The
// defaults are the safe ones: loopback only, sessions that expire, bounded bodies, threads and
// streams, clients that must keep up.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace rdmcp::server {

struct HttpOptions {
    std::string host = "127.0.0.1";
    int port = 8000;            // 0: the system picks a free port
    std::string path = "/mcp";  // the one MCP endpoint

    // Legacy (2025-11-25 and earlier) clients without sessions: any replica answers anything.
    bool stateless = false;
    // No key, no service: 401 with a WWW-Authenticate challenge.
    bool require_auth = false;
    // Browser origins allowed besides the loopback ones ("*": any).
    std::vector<std::string> allowed_origins;

    std::size_t max_body_bytes = 32u << 20;
    // Request bodies held at once over every connection (images, mostly); more get 503.
    std::size_t max_inflight_body_bytes = 256u << 20;
    // The request head, admitted before anything of it is stored (connection.h).
    std::size_t max_header_bytes = 64u << 10;
    std::size_t max_header_lines = 100;
    std::chrono::seconds header_timeout{10};
    // The whole body must arrive within this (a client trickling it holds memory and a thread).
    std::chrono::seconds body_timeout{60};
    std::size_t max_json_depth = 64;

    // Requests that may wait on the upstream (tools/call) running at once; more get 503.
    std::size_t max_concurrency = 256;
    // Connections served at once (cpp-httplib gives each its own thread for its lifetime).
    std::size_t max_connections = 1024;

    std::size_t max_sessions = 10000;
    // Sessions one key (or the absent key) and one client address may hold; 0: no quota. At its
    // quota a caller's own least recently used idle session makes room, or it gets 429.
    std::size_t max_sessions_per_key = 100;
    std::size_t max_sessions_per_client = 1000;
    std::chrono::seconds session_idle_timeout{30 * 60};
    // Behind a reverse proxy we run: the client address is the last X-Forwarded-For entry.
    bool trust_proxy = false;

    // SIGTERM: in-flight calls get this long to finish before they are cancelled.
    std::chrono::seconds shutdown_grace{20};
    // A comment line on every open SSE stream this often, so proxies keep it open.
    std::chrono::seconds sse_keepalive{15};
    // A client that sends or reads nothing for this long is disconnected.
    std::chrono::seconds client_timeout{30};
    // An idle keep-alive connection is closed after this long.
    std::chrono::seconds keep_alive_timeout{5};
    std::size_t keep_alive_max_requests = 10000;
};

// Long-lived streams (a legacy GET stream, a subscriptions/listen stream) each hold a
// connection; at most this many are open at once, so they can never take every connection.
inline std::size_t max_open_streams(const HttpOptions& options) {
    return options.max_connections / 4 > 0 ? options.max_connections / 4 : 1;
}

}  // namespace rdmcp::server
