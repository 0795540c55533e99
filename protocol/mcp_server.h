#pragma once
// The MCP engine shared by every transport: decides which protocol generation a request
// speaks, answers the lifecycle and discovery methods, lists and calls tools. It holds no
// per-caller state: the caller's key and version travel in the RequestContext, a legacy
// client's handshake in its LegacySession.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "protocol/in_flight.h"
#include "protocol/json_rpc.h"
#include "protocol/outcome.h"
#include "protocol/prompts.h"
#include "protocol/request_context.h"
#include "protocol/resources.h"
#include "protocol/session.h"
#include "protocol/tasks.h"
#include "protocol/tool.h"

namespace rdmcp::protocol {

struct ServerIdentity {
    std::string name;
    std::string title;
    std::string version;
    std::string instructions;
};

class McpServer {
  public:
    // With a TaskProvider the server offers the Tasks extension (2026-07-28); with resources
    // or prompts, those capabilities (and completions, where an argument has a completer).
    McpServer(ServerIdentity identity, ToolRegistry tools,
              std::shared_ptr<const TaskProvider> tasks = nullptr, ResourceRegistry resources = {},
              PromptRegistry prompts = {});

    // Reads the request's protocol version, client identity, capabilities and progress token
    // into `context`, from _meta (2026-07-28) or from the session's handshake (earlier versions).
    // Cheap; transports call it before deciding where the request runs. An error means the
    // request must be answered with it and go no further.
    // `session` is null for requests that have none (2026-07-28 over HTTP).
    std::optional<RpcError> prepare(const Request& request, const LegacySession* session,
                                    RequestContext& context) const;
    std::optional<RpcError> prepare(const Request& request, const LegacySession& session,
                                    RequestContext& context) const {
        return prepare(request, &session, context);
    }

    // Answers a prepared request. tools/call may block on the upstream for minutes. Transports
    // reach it through the Dispatcher (protocol/dispatcher.h), which owns the request's life.
    Outcome handle(const Request& request, LegacySession* session, RequestContext& context) const;
    Outcome handle(const Request& request, LegacySession& session, RequestContext& context) const {
        return handle(request, &session, context);
    }

    // notifications/initialized, notifications/cancelled; everything else is ignored.
    void handle_notification(const Notification& notification, InFlightRequests& in_flight) const;

    // Whether a request may wait on the network (so transports run it off their reading thread).
    // tasks/get asks the upstream for the task's state; resources/read may (the live style
    // catalog, a job's state).
    static bool may_block(const Request& request) {
        return request.method == "tools/call" || request.method == "tasks/get" ||
               request.method == "resources/read";
    }

    const ToolRegistry& tools() const { return tools_; }
    const ServerIdentity& identity() const { return identity_; }

  private:
    // The lists (tools, prompts, resources, templates) and the discovery answer change only with
    // a new server version: fresh for an hour, the same for every caller.
    static constexpr long long kListTtlMs = 3'600'000;

    Outcome discover() const;
    Outcome initialize(const Request& request, LegacySession* session) const;
    Outcome list_tools(const Request& request, const RequestContext& context) const;
    Json tools_list_result(std::string_view protocol_version) const;
    Outcome call_tool(const Request& request, RequestContext& context) const;
    Outcome task_method(const Request& request, RequestContext& context) const;
    Outcome list_resources(const Request& request) const;
    Outcome list_resource_templates(const Request& request) const;
    Outcome read_resource(const Request& request, RequestContext& context) const;
    Outcome list_prompts(const Request& request) const;
    Outcome get_prompt(const Request& request, RequestContext& context) const;
    Outcome complete(const Request& request, RequestContext& context) const;
    bool offers_completions() const;
    Json capabilities() const;
    void decorate(Json& result, std::string_view protocol_version) const;

    ServerIdentity identity_;
    ToolRegistry tools_;
    std::shared_ptr<const TaskProvider> tasks_;
    ResourceRegistry resources_;
    PromptRegistry prompts_;
    // tools/list's answer, encoded once per protocol generation (they differ in the 2026-07-28
    // decoration) at the first tools/list, when the tool table is made too: a cold start
    // answers initialize without either. The tool set never changes: tools_ is private and
    // const to every method, and a different set is a different McpServer. Shared, so the
    // server moves and copies (a once_flag does neither).
    struct EncodedToolLists {
        std::once_flag made;
        EncodedJson legacy;
        EncodedJson modern;
    };
    std::shared_ptr<EncodedToolLists> tools_lists_ = std::make_shared<EncodedToolLists>();
};

}  // namespace rdmcp::protocol
