#pragma once
// The one way out to the RetroDiffusion API: HTTPS with certificate verification, the caller's
// key as X-RD-Token on each request (never stored here), connect and read timeouts, reused
// keep-alive connections, and every failure normalised into an UpstreamError.
// Paid POSTs are never retried (a retry could charge twice); idempotent GETs are retried once
// on a transport error or 502/503/504.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "protocol/json_rpc.h"
#include "protocol/request_context.h"
#include "tools/upstream_error.h"

namespace rdmcp::tools {

struct UpstreamConfig {
    std::string base_url = "https://api.retrodiffusion.ai";
    std::chrono::seconds connect_timeout{10};
    // The whole answer must arrive within this time (generations can take minutes); a
    // stalled or trickling answer is cut off when it runs out.
    std::chrono::seconds read_timeout{300};
    std::string ca_file;  // trust this CA bundle instead of the system's (tests, private gateways)
    std::size_t max_idle_connections = 16;
    // A larger answer is refused rather than held in memory (real ones are a few MB).
    std::size_t max_response_bytes = 128u << 20;
};

struct UpstreamResult {
    int status = 0;
    protocol::Json body;                // the parsed JSON answer when the call succeeded
    std::optional<UpstreamError> error;

    bool ok() const { return !error.has_value(); }
};

class ConnectionPool;

class UpstreamClient {
public:
    explicit UpstreamClient(UpstreamConfig config);
    ~UpstreamClient();
    UpstreamClient(const UpstreamClient&) = delete;
    UpstreamClient& operator=(const UpstreamClient&) = delete;

    UpstreamResult get(const std::string& path, const protocol::RequestContext& context) const;
    UpstreamResult post(const std::string& path, const protocol::Json& body,
                        const protocol::RequestContext& context) const;
    // The same, with more members of the body in `appended` (an object; images): its strings
    // are sent from where they are, never copied, so it must stay alive for the call.
    UpstreamResult post(const std::string& path, const protocol::Json& body,
                        const protocol::Json& appended,
                        const protocol::RequestContext& context) const;
    UpstreamResult patch(const std::string& path, const protocol::Json& body,
                         const protocol::RequestContext& context) const;
    UpstreamResult del(const std::string& path, const protocol::RequestContext& context) const;

    const UpstreamConfig& config() const { return config_; }

    // Checks a base URL ("https://host[:port][/prefix]"); an error says what is wrong with it.
    static std::optional<std::string> validate_base_url(const std::string& url);

private:
    struct Call;
    UpstreamResult send(const Call& call, const protocol::RequestContext& context) const;
    UpstreamResult send_once(const Call& call, const protocol::RequestContext& context) const;

    UpstreamConfig config_;
    std::string origin_;       // scheme://host:port
    std::string path_prefix_;  // "" or "/prefix"
    std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace rdmcp::tools
