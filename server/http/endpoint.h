#pragma once
// The MCP endpoint (POST, GET, DELETE on --path) for both protocol generations at once:
//  - 2026-07-28: every POST stands alone; its _meta names the version, its headers mirror the
//    body and must agree with it; no sessions, no GET stream;
//  - 2025-11-25 / 2025-06-18 / 2025-03-26: `initialize` opens a session (Mcp-Session-Id) bound
//    to the caller's key; later requests name it; GET opens the session's stream and DELETE
//    ends it. With --stateless there are no sessions: each request is served at the version
//    its MCP-Protocol-Version header names (2025-03-26 when absent).
// Callers arrive here already admitted by the transport (origin, host, key).
#include <httplib.h>

#include <atomic>
#include <string>

#include "protocol/mcp_server.h"
#include "server/http/body_budget.h"
#include "server/http/exchange.h"
#include "server/http/options.h"
#include "server/http/request_log.h"
#include "server/http/sessions.h"

namespace rdmcp::server {

// Who sent a request, as the transport established it.
struct Caller {
    std::string api_key;  // from Authorization: Bearer; empty when none was sent
    std::string address;  // the peer, or the proxy's X-Forwarded-For entry (--trust-proxy)
    ExchangeRecord record;
    bool large_message = false;  // a body of kLargeMessageBytes or more (images)
    BodyBudget::Hold body_hold;  // room the body takes in --max-inflight-body-bytes until decoded
};

class McpEndpoint {
  public:
    McpEndpoint(const protocol::McpServer& server, const HttpOptions& options, RequestLog& log,
                const std::atomic<bool>& draining);

    void post(const httplib::Request& request, httplib::Response& response, std::string body,
              Caller caller);
    void get(const httplib::Request& request, httplib::Response& response, Caller caller);
    void del(const httplib::Request& request, httplib::Response& response, Caller caller);

    ExchangeRunner& runner() { return runner_; }
    SessionStore& sessions() { return sessions_; }

  private:
    void post_modern(const httplib::Request& request, httplib::Response& response,
                     protocol::Decoded message, const McpHeaders& headers, Caller& caller);
    void post_legacy(const httplib::Request& request, httplib::Response& response,
                     protocol::Decoded message, const McpHeaders& headers, Caller& caller);
    void legacy_initialize(const httplib::Request& request, httplib::Response& response,
                           protocol::Request message, Caller& caller);
    // The session a legacy request names; answers 400/404 itself when there is none.
    std::shared_ptr<SessionStore::Lease> session_for(const McpHeaders& headers,
                                                     const Caller& caller, const protocol::Json& id,
                                                     httplib::Response& response);
    // 400 for an MCP-Protocol-Version header naming a version we do not speak.
    bool legacy_version_ok(const McpHeaders& headers, const protocol::Json& id,
                           const Caller& caller, httplib::Response& response);
    Exchange make_exchange(const httplib::Request& request, protocol::Request message,
                           Caller& caller, Era era);
    bool refuse_while_draining(const protocol::Json& id, const Caller& caller,
                               httplib::Response& response);

    const protocol::McpServer& server_;
    const HttpOptions& options_;
    RequestLog& log_;
    const std::atomic<bool>& draining_;
    SessionStore sessions_;
    ExchangeRunner runner_;
};

McpHeaders read_mcp_headers(const httplib::Request& request);

}  // namespace rdmcp::server
