#include "server/http/endpoint.h"

#include <exception>

#include "common/text.h"
#include "protocol/versions.h"
#include "server/free_memory.h"
#include "server/http/replies.h"

namespace rdmcp::server {

using protocol::Json;
using protocol::RpcError;

namespace {

// What 2025-era clients assume when no MCP-Protocol-Version header comes (basic/transports).
constexpr std::string_view kVersionWithoutHeader = "2025-03-26";
constexpr int kErrorSessionNotFound = -32001;  // as the official SDKs answer it

Json id_of(const protocol::Decoded& message) {
    if (const auto* request = std::get_if<protocol::Request>(&message)) return request->id;
    return nullptr;
}

std::string method_of(const protocol::Decoded& message) {
    if (const auto* request = std::get_if<protocol::Request>(&message)) return request->method;
    if (const auto* notification = std::get_if<protocol::Notification>(&message)) {
        return notification->method;
    }
    if (std::holds_alternative<protocol::ClientResponse>(message)) return "response";
    return "invalid";
}

const char* era_name(Era era) { return era == Era::Modern ? "modern" : "legacy"; }

// A caller over its own quota gets 429 (only it is refused); a full store 503. Either way no
// other caller's session was given up for it.
Rejection refusal(const OpenRefused& refused, std::chrono::seconds idle_timeout) {
    const auto limit = std::to_string(refused.limit);
    const std::string ending = "end sessions you no longer need (DELETE with their Mcp-Session-Id)";
    switch (refused.reason) {
        case OpenRefused::Reason::KeyQuota:
            return too_many_requests("no session can be opened: this key already holds " + limit +
                                         " sessions (--max-sessions-per-key; requests without "
                                         "a key share one such quota) and none is idle to be "
                                         "replaced; " +
                                         ending + " or retry when one of its requests has finished",
                                     "sessions per key", 10);
        case OpenRefused::Reason::ClientQuota:
            return too_many_requests("no session can be opened: your address already holds " +
                                         limit +
                                         " sessions and none of them is an idle one of this key "
                                         "(--max-sessions-per-client); " +
                                         ending + " or retry later",
                                     "sessions per client", 10);
        case OpenRefused::Reason::StoreFull:
            break;
    }
    return unavailable("no session can be opened now: the server holds its limit of " + limit +
                           " sessions (--max-sessions) and none is an idle one of yours to "
                           "replace; retry later (idle sessions expire after " +
                           std::to_string(idle_timeout.count()) + " s)",
                       "session store full", 30);
}

// A request without a bearer naming a session (one opened without a key: no other is found
// without one) uses the key authenticate bound to it, and may bind or clear one.
void lend_session_key(const HttpSession& session, protocol::RequestContext& context) {
    context.key_holder = session.key_holder();
    context.api_key = context.key_holder->key();
    if (!context.api_key.empty()) context.key_source = protocol::KeySource::Authenticated;
}

}  // namespace

McpHeaders read_mcp_headers(const httplib::Request& request) {
    return {header_value(request, "MCP-Protocol-Version"), header_value(request, "Mcp-Method"),
            header_value(request, "Mcp-Name"), header_value(request, "Mcp-Session-Id")};
}

McpEndpoint::McpEndpoint(const protocol::McpServer& server, const HttpOptions& options,
                         RequestLog& log, const std::atomic<bool>& draining)
    : server_(server),
      options_(options),
      log_(log),
      draining_(draining),
      sessions_({options.max_sessions, options.max_sessions_per_key,
                 options.max_sessions_per_client, options.session_idle_timeout}),
      runner_(server, options, log, draining) {}

bool McpEndpoint::refuse_while_draining(const Json& id, const Caller& caller,
                                        httplib::Response& response) {
    if (!draining_.load()) return false;
    response.set_header("Connection", "close");
    reject(response, log_, caller.record, id,
           unavailable("the server is shutting down; retry in a moment", "shutting down", 5));
    return true;
}

Exchange McpEndpoint::make_exchange(const httplib::Request& request, protocol::Request message,
                                    Caller& caller, Era era) {
    Exchange exchange;
    exchange.context = std::make_shared<protocol::RequestContext>();
    exchange.context->api_key = caller.api_key;
    if (!caller.api_key.empty()) exchange.context->key_source = protocol::KeySource::Header;
    exchange.context->log_id = caller.record.log_id;
    exchange.accepts = parse_accept(header_value(request, "Accept"));
    exchange.era = era;
    exchange.record = caller.record;
    exchange.record.era = era_name(era);
    exchange.large_message = caller.large_message;
    exchange.record.method = message.method;
    if (message.method == "tools/call") {
        if (auto name = message.params.find("name");
            name != message.params.end() && name->is_string()) {
            exchange.record.tool = name->get<std::string>();
        }
    }
    exchange.request = std::move(message);
    return exchange;
}

void McpEndpoint::post(const httplib::Request& request, httplib::Response& response,
                       std::string body, Caller caller) {
    if (!is_json_content_type(header_value(request, "Content-Type"))) {
        reject(response, log_, caller.record, nullptr,
               invalid_request(
                   415, "Content-Type must be application/json: the body is one JSON-RPC message",
                   "content type"));
        return;
    }
    caller.large_message = body.size() >= kLargeMessageBytes;
    auto message = protocol::decode(body, {options_.max_json_depth});
    std::string().swap(body);  // freed, not just emptied: it may be megabytes of images
    caller.body_hold.release();
    caller.record.method = method_of(message);
    if (auto* failure = std::get_if<protocol::DecodeFailure>(&message)) {
        // A notification we cannot read gets no id (it had none to give).
        reject(response, log_, caller.record, failure->answerable ? failure->id : Json(),
               {400, failure->error});
        return;
    }
    const Json id = id_of(message);
    if (std::holds_alternative<protocol::Request>(message)) {
        const auto accepts = parse_accept(header_value(request, "Accept"));
        if (!accepts.json && !accepts.sse) {
            reject(response, log_, caller.record, id,
                   invalid_request(
                       406, "the Accept header must admit application/json and text/event-stream",
                       "accept"));
            return;
        }
    }
    const auto headers = read_mcp_headers(request);
    auto era = classify(message, headers);
    if (auto* rejection = std::get_if<Rejection>(&era)) {
        reject(response, log_, caller.record, id, *rejection);
        return;
    }
    caller.record.era = era_name(std::get<Era>(era));
    if (std::get<Era>(era) == Era::Modern) {
        post_modern(request, response, std::move(message), headers, caller);
    } else {
        post_legacy(request, response, std::move(message), headers, caller);
    }
}

void McpEndpoint::post_modern(const httplib::Request& request, httplib::Response& response,
                              protocol::Decoded message, const McpHeaders& headers,
                              Caller& caller) {
    auto* request_message = std::get_if<protocol::Request>(&message);
    if (!request_message) {
        // 2026-07-28 defines no client notifications over HTTP: closing a stream is how a
        // request is cancelled. Accepted and dropped.
        reply_empty(response, 202);
        log_.record(caller.record, 202, "accepted");
        return;
    }
    const Json id = request_message->id;
    if (auto rejection = check_standard_headers(*request_message, headers)) {
        reject(response, log_, caller.record, id, *rejection);
        return;
    }
    if (refuse_while_draining(id, caller, response)) return;

    Exchange exchange = make_exchange(request, std::move(*request_message), caller, Era::Modern);
    if (auto error = server_.prepare(exchange.request, nullptr, *exchange.context)) {
        const int status = status_for_prepare_error(*error);
        reject(response, log_, exchange.record, id, {status, *error, error->message, 0, "error"});
        return;
    }
    if (exchange.request.method == "subscriptions/listen") {
        runner_.listen(std::move(exchange), response);
    } else {
        runner_.run(std::move(exchange), response);
    }
}

bool McpEndpoint::legacy_version_ok(const McpHeaders& headers, const Json& id, const Caller& caller,
                                    httplib::Response& response) {
    if (!headers.protocol_version || protocol::is_supported_version(*headers.protocol_version)) {
        return true;
    }
    reject(response, log_, caller.record, id,
           {400,
            {protocol::error_code::kUnsupportedProtocolVersion,
             "Unsupported MCP-Protocol-Version header " + quote_prefix(*headers.protocol_version),
             Json{{"supported", protocol::supported_versions_list()},
                  {"requested", cut(*headers.protocol_version, kEchoBytes)}}},
            "unsupported MCP-Protocol-Version"});
    return false;
}

std::shared_ptr<SessionStore::Lease> McpEndpoint::session_for(const McpHeaders& headers,
                                                              const Caller& caller, const Json& id,
                                                              httplib::Response& response) {
    if (!headers.session_id || headers.session_id->empty()) {
        reject(response, log_, caller.record, id,
               invalid_request(
                   400,
                   "Bad Request: the Mcp-Session-Id header is required; send initialize first "
                   "to open a session (or speak MCP 2026-07-28, which needs none)",
                   "no session id"));
        return nullptr;
    }
    auto lease = sessions_.find(*headers.session_id, caller.api_key);
    if (!lease) {
        reject(response, log_, caller.record, id,
               {404,
                {kErrorSessionNotFound,
                 "Session not found: it expired, was ended, or was opened with another key; "
                 "send initialize to open a new session",
                 {}},
                "unknown session"});
    }
    return lease;
}

void McpEndpoint::post_legacy(const httplib::Request& request, httplib::Response& response,
                              protocol::Decoded message, const McpHeaders& headers,
                              Caller& caller) {
    const Json id = id_of(message);
    if (!legacy_version_ok(headers, id, caller, response)) return;
    auto* request_message = std::get_if<protocol::Request>(&message);
    if (request_message && request_message->method == "initialize") {
        legacy_initialize(request, response, std::move(*request_message), caller);
        return;
    }

    std::shared_ptr<SessionStore::Lease> lease;
    if (!options_.stateless) {
        lease = session_for(headers, caller, id, response);
        if (!lease) return;
    }
    if (!request_message) {
        // notifications/cancelled reaches the session's requests, a client's response the
        // request of ours waiting for it (elicitation/create); other notifications, and
        // responses nobody waits for, are accepted and dropped. Without sessions there is
        // nothing either could reach.
        std::string note;
        if (auto* notification = std::get_if<protocol::Notification>(&message);
            notification && lease) {
            server_.handle_notification(*notification, (*lease)->in_flight());
        } else if (auto* answer = std::get_if<protocol::ClientResponse>(&message)) {
            const bool delivered = lease && (*lease)->client_requests().deliver(std::move(*answer));
            note = delivered ? "response delivered" : "response dropped: nobody waits for it";
        }
        reply_empty(response, 202);
        log_.record(caller.record, 202, "accepted", note);
        return;
    }
    if (refuse_while_draining(id, caller, response)) return;

    Exchange exchange = make_exchange(request, std::move(*request_message), caller, Era::Legacy);
    if (lease) {
        if (caller.api_key.empty()) lend_session_key(**lease, *exchange.context);
        exchange.legacy =
            std::shared_ptr<protocol::LegacySession>(lease->session(), &(*lease)->legacy());
        exchange.session = std::move(lease);
    } else {
        exchange.legacy = std::make_shared<protocol::LegacySession>();
        exchange.legacy->initialize(
            {headers.protocol_version.value_or(std::string(kVersionWithoutHeader)), Json::object(),
             Json::object()});
    }
    if (auto error = server_.prepare(exchange.request, exchange.legacy.get(), *exchange.context)) {
        reject(response, log_, exchange.record, id, {200, *error, error->message, 0, "error"});
        return;
    }
    runner_.run(std::move(exchange), response);
}

void McpEndpoint::legacy_initialize(const httplib::Request& request, httplib::Response& response,
                                    protocol::Request message, Caller& caller) {
    const Json id = message.id;
    if (refuse_while_draining(id, caller, response)) return;
    Exchange exchange = make_exchange(request, std::move(message), caller, Era::Legacy);
    auto handshake = std::make_shared<protocol::LegacySession>();
    exchange.legacy = handshake;
    const auto record = exchange.record;
    protocol::Outcome outcome = [&]() -> protocol::Outcome {
        if (auto error = server_.prepare(exchange.request, handshake.get(), *exchange.context)) {
            return *error;
        }
        return runner_.answer_here(std::move(exchange));
    }();
    if (!std::holds_alternative<protocol::RpcError>(outcome) && !options_.stateless) {
        auto state = handshake->state();
        std::variant<std::shared_ptr<SessionStore::Lease>, OpenRefused> opened;
        try {
            if (state) opened = sessions_.open({caller.api_key, caller.address}, std::move(*state));
        } catch (const std::exception& e) {
            log_.logger().error("session_not_opened", {{"reason", e.what()}});
        }
        if (auto* refused = std::get_if<OpenRefused>(&opened)) {
            reject(response, log_, record, id, refusal(*refused, options_.session_idle_timeout));
            return;
        }
        const auto& lease = std::get<std::shared_ptr<SessionStore::Lease>>(opened);
        if (!lease) {
            reject(response, log_, record, id,
                   unavailable("no session could be opened (the server logged why); retry in a "
                               "moment",
                               "session not opened", 5));
            return;
        }
        response.set_header("Mcp-Session-Id", (*lease)->id());
    }
    reply_json(response, 200, protocol::encode_outcome(id, outcome));
    log_.record(record, 200, outcome_name(outcome));
}

void McpEndpoint::get(const httplib::Request& request, httplib::Response& response, Caller caller) {
    caller.record.method = "GET";
    caller.record.era = "legacy";
    const auto headers = read_mcp_headers(request);
    const bool modern =
        headers.protocol_version && protocol::is_modern_version(*headers.protocol_version);
    if (options_.stateless || (modern && !headers.session_id)) {
        // 2026-07-28 has no GET stream; without sessions there is nothing to stream.
        response.set_header("Allow", "POST, OPTIONS");
        reject(response, log_, caller.record, nullptr,
               {405,
                {-32000,
                 "Method not allowed: this endpoint offers no GET stream; POST "
                 "requests to it",
                 {}},
                "no GET stream"});
        return;
    }
    if (!parse_accept(header_value(request, "Accept")).sse) {
        reject(response, log_, caller.record, nullptr,
               invalid_request(406, "GET opens an SSE stream: send Accept: text/event-stream",
                               "accept"));
        return;
    }
    if (!legacy_version_ok(headers, nullptr, caller, response)) return;
    if (refuse_while_draining(nullptr, caller, response)) return;
    auto lease = session_for(headers, caller, nullptr, response);
    if (!lease) return;
    runner_.session_stream(std::move(lease), caller.record, response);
}

void McpEndpoint::del(const httplib::Request& request, httplib::Response& response, Caller caller) {
    caller.record.method = "DELETE";
    caller.record.era = "legacy";
    const auto headers = read_mcp_headers(request);
    if (options_.stateless) {
        response.set_header("Allow", "POST, OPTIONS");
        reject(response, log_, caller.record, nullptr,
               {405,
                {-32000, "Method not allowed: this server keeps no sessions to end", {}},
                "stateless"});
        return;
    }
    if (!headers.session_id || headers.session_id->empty()) {
        reject(response, log_, caller.record, nullptr,
               invalid_request(
                   400,
                   "Bad Request: DELETE ends the session named by the Mcp-Session-Id header, "
                   "and there is none",
                   "no session id"));
        return;
    }
    if (!sessions_.close(*headers.session_id, caller.api_key)) {
        reject(response, log_, caller.record, nullptr,
               {404, {kErrorSessionNotFound, "Session not found", {}}, "unknown session"});
        return;
    }
    reply_empty(response, 200);
    log_.record(caller.record, 200, "ok", "session ended");
}

}  // namespace rdmcp::server
