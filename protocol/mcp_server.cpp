#include "protocol/mcp_server.h"

#include <exception>

#include "common/text.h"
#include "protocol/handshake.h"
#include "protocol/schema_validator.h"
#include "protocol/versions.h"

namespace rdmcp::protocol {

namespace {

constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr const char* kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
constexpr const char* kMetaLogLevel = "io.modelcontextprotocol/logLevel";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

std::string versions_text() {
    std::string text;
    for (const auto& version : supported_versions()) {
        if (!text.empty()) text += ", ";
        text += version;
    }
    return text;
}

// The version is the client's text: only its first bytes come back, in the message and data.
RpcError unsupported_version(const std::string& requested) {
    return {
        error_code::kUnsupportedProtocolVersion,
        "Unsupported protocol version " + quote_prefix(requested) + "; send one of " +
            versions_text(),
        Json{{"supported", supported_versions_list()}, {"requested", cut(requested, kEchoBytes)}}};
}

// Any method the server does not serve; its name is the client's text, so only a prefix.
RpcError method_not_found(const std::string& method) {
    return {error_code::kMethodNotFound, "Method not found: " + quote_prefix(method), {}};
}

bool is_task_method(const std::string& method) {
    return method == "tasks/get" || method == "tasks/cancel" || method == "tasks/update";
}

RpcError removed_method(const std::string& method) {
    return {error_code::kMethodNotFound,
            "Method not found: " + method + " does not exist in MCP " +
                std::string(kLatestModernVersion) +
                " (requests carry their version and "
                "capabilities in _meta, with no handshake, ping or logging/setLevel); send it "
                "without the 2026-07-28 _meta to speak " +
                std::string(kLatestLegacyVersion),
            {}};
}

// What a 2026-07-28 request must declare to use a Tasks method.
RpcError tasks_capability_missing(const std::string& method) {
    return {error_code::kMissingRequiredClientCapability,
            method + " needs the client capability extensions[\"" + std::string(kTasksExtension) +
                "\"] in params._meta[\"" + kMetaClientCapabilities + "\"]",
            Json{{"requiredCapabilities", {{"extensions", {{kTasksExtension, Json::object()}}}}}}};
}

std::string available_tool_names(const ToolRegistry& tools) {
    std::string names;
    for (const auto& tool : tools.tools())
        names += (names.empty() ? "" : ", ") + tool.definition.name;
    return names;
}

// The largest requestState we accept back: ours are a few hundred bytes.
constexpr std::size_t kMaxRequestStateBytes = 4096;

// An MRTR retry's fields (2026-07-28): the client's answers and the state it echoes. Earlier
// versions have no such fields; whatever a 2025 client sends there is not read.
std::optional<RpcError> read_retry_fields(const Json& params, RequestContext& context) {
    if (!is_modern_version(context.protocol_version)) return std::nullopt;
    if (auto responses = params.find("inputResponses"); responses != params.end()) {
        if (!responses->is_object()) {
            return invalid_params(
                "params.inputResponses must be an object (the answers to "
                "inputRequests, by their keys)");
        }
        context.input_responses = *responses;
    }
    if (auto state = params.find("requestState"); state != params.end()) {
        if (!state->is_string()) {
            return invalid_params(
                "params.requestState must be the string the server sent, "
                "echoed exactly");
        }
        if (state->get_ref<const std::string&>().size() > kMaxRequestStateBytes) {
            return invalid_params(
                "params.requestState is longer than any this server sends; "
                "echo the one from the input_required result exactly");
        }
        context.request_state = state->get<std::string>();
    }
    return std::nullopt;
}

}  // namespace

McpServer::McpServer(ServerIdentity identity, ToolRegistry tools,
                     std::shared_ptr<const TaskProvider> tasks, ResourceRegistry resources,
                     PromptRegistry prompts)
    : identity_(std::move(identity)),
      tools_(std::move(tools)),
      tasks_(std::move(tasks)),
      resources_(std::move(resources)),
      prompts_(std::move(prompts)) {}

std::optional<RpcError> McpServer::prepare(const Request& request, const LegacySession* session,
                                           RequestContext& context) const {
    Json meta = Json::object();
    if (auto it = request.params.find("_meta"); it != request.params.end()) {
        if (!it->is_object()) return invalid_params("params._meta must be an object");
        meta = *it;
    }
    if (auto token = meta.find("progressToken"); token != meta.end()) {
        if (!token->is_string() && !token->is_number_integer()) {
            return invalid_params("_meta.progressToken must be a string or an integer");
        }
        context.progress_token = *token;
    }

    auto version = meta.find(kMetaProtocolVersion);
    const bool names_modern = version != meta.end() && version->is_string() &&
                              is_modern_version(version->get_ref<const std::string&>());
    if (request.method == "initialize" && !names_modern) {
        return std::nullopt;  // the handshake sets the version
    }

    if (version != meta.end()) {
        if (!version->is_string()) {
            return invalid_params(std::string("_meta[\"") + kMetaProtocolVersion +
                                  "\"] must be a string such as \"2026-07-28\"");
        }
        const auto requested = version->get<std::string>();
        if (!is_supported_version(requested)) return unsupported_version(requested);
        context.protocol_version = requested;
        if (names_modern) {
            if (is_removed_in_modern(request.method)) return removed_method(request.method);
            auto capabilities = meta.find(kMetaClientCapabilities);
            if (capabilities == meta.end() || !capabilities->is_object()) {
                return invalid_params(std::string("_meta[\"") + kMetaClientCapabilities +
                                      "\"] is required (an object; {} when the client has none)");
            }
            context.client_capabilities = *capabilities;
            context.tasks_supported = tasks_ && declares_tasks_extension(*capabilities);
            // The extension's error table: its methods need it declared. Decided here, before
            // the request runs, so HTTP can still answer with the 400 the schema requires.
            if (tasks_ && !context.tasks_supported && is_task_method(request.method)) {
                return tasks_capability_missing(request.method);
            }
            if (auto info = meta.find(kMetaClientInfo); info != meta.end() && info->is_object()) {
                context.client_info = *info;
            }
            if (auto level = meta.find(kMetaLogLevel); level != meta.end() && level->is_string()) {
                context.log_level = level->get<std::string>();
            }
            return std::nullopt;
        }
    }

    if (auto state = session ? session->state() : std::nullopt) {
        if (context.protocol_version.empty()) context.protocol_version = state->version;
        context.client_info = state->client_info;
        context.client_capabilities = state->client_capabilities;
        return std::nullopt;
    }
    if (!context.protocol_version.empty()) return std::nullopt;  // a legacy version in _meta
    if (request.method == "ping") {
        context.protocol_version = std::string(kLatestLegacyVersion);
        return std::nullopt;
    }
    return invalid_params(
        std::string("this request names no protocol version: put it in params._meta[\"") +
        kMetaProtocolVersion +
        "\"] with the client capabilities (MCP 2026-07-28), or send "
        "`initialize` first (MCP 2025-11-25 and earlier)");
}

Outcome McpServer::handle(const Request& request, LegacySession* session,
                          RequestContext& context) const {
    Outcome outcome = [&]() -> Outcome {
        const auto& method = request.method;
        if (method == "initialize") return initialize(request, session);
        if (method == "server/discover") return discover();
        if (method == "ping") return Json::object();
        if (method == "tools/list") return list_tools(request, context);
        if (method == "tools/call") return call_tool(request, context);
        if (!resources_.empty()) {
            if (method == "resources/list") return list_resources(request);
            if (method == "resources/templates/list") return list_resource_templates(request);
            if (method == "resources/read") return read_resource(request, context);
        }
        if (!prompts_.empty()) {
            if (method == "prompts/list") return list_prompts(request);
            if (method == "prompts/get") return get_prompt(request, context);
        }
        if (method == "completion/complete" && offers_completions()) {
            return complete(request, context);
        }
        if (tasks_ && method.rfind("tasks/", 0) == 0) {
            // A TaskProvider bug (it reads the upstream's answers) must not end the process:
            // transports run this on worker threads, where an exception would terminate it.
            try {
                return task_method(request, context);
            } catch (const std::exception& e) {
                return RpcError{error_code::kInternalError,
                                "Internal error in " + quote_prefix(method) + ": " + e.what(),
                                {}};
            }
        }
        return method_not_found(method);
    }();
    // An encoded result was decorated when it was encoded.
    if (auto* result = std::get_if<Json>(&outcome)) decorate(*result, context.protocol_version);
    return outcome;
}

void McpServer::handle_notification(const Notification& notification,
                                    InFlightRequests& in_flight) const {
    if (notification.method == "notifications/cancelled") {
        auto id = notification.params.find("requestId");
        if (id == notification.params.end()) return;
        std::string reason = "cancelled by the client";
        if (auto r = notification.params.find("reason");
            r != notification.params.end() && r->is_string()) {
            reason += ": " + cut(r->get_ref<const std::string&>(), kEchoBytes);
        }
        in_flight.cancel(*id, reason);
    }
    // notifications/initialized needs no action: we answer requests whether or not it came.
}

Json McpServer::capabilities() const {
    Json capabilities = {{"tools", Json::object()}};
    // Neither listChanged nor subscribe: the lists are fixed for the server's life.
    if (!resources_.empty()) capabilities["resources"] = Json::object();
    if (!prompts_.empty()) capabilities["prompts"] = Json::object();
    if (offers_completions()) capabilities["completions"] = Json::object();
    if (tasks_) capabilities["extensions"] = {{kTasksExtension, Json::object()}};
    return capabilities;
}

void McpServer::decorate(Json& result, std::string_view protocol_version) const {
    if (!is_modern_version(protocol_version)) return;
    if (!result.contains("resultType")) result["resultType"] = "complete";  // "task" stays
    result["_meta"][kMetaServerInfo] = {{"name", identity_.name}, {"version", identity_.version}};
}

Outcome McpServer::discover() const {
    return Json{{"supportedVersions", supported_versions_list()},
                {"capabilities", capabilities()},
                {"instructions", identity_.instructions},
                {"ttlMs", kListTtlMs},
                {"cacheScope", "public"}};
}

Outcome McpServer::initialize(const Request& request, LegacySession* session) const {
    if (!session) {
        return RpcError{error_code::kMethodNotFound,
                        "Method not found: initialize (this request has no session to open)",
                        {}};
    }
    auto handshake = read_handshake(request.params);
    if (auto* error = std::get_if<RpcError>(&handshake)) return *error;
    auto& state = std::get<LegacySession::State>(handshake);
    const std::string version = state.version;
    session->initialize(std::move(state));
    return Json{
        {"protocolVersion", version},
        {"capabilities", capabilities()},
        {"serverInfo",
         {{"name", identity_.name}, {"title", identity_.title}, {"version", identity_.version}}},
        {"instructions", identity_.instructions}};
}

Outcome McpServer::list_tools(const Request& request, const RequestContext& context) const {
    if (auto cursor = request.params.find("cursor");
        cursor != request.params.end() && !cursor->is_null()) {
        // We never hand out cursors: the whole list fits in one page.
        return invalid_params("invalid cursor: tools/list has a single page; omit params.cursor");
    }
    // The same answer for every caller of a generation: encoded once, not copied per request.
    auto& lists = *tools_lists_;
    std::call_once(lists.made, [&] {
        lists.legacy = EncodedJson::of(tools_list_result(kLatestLegacyVersion));
        lists.modern = EncodedJson::of(tools_list_result(kLatestModernVersion));
    });
    return is_modern_version(context.protocol_version) ? lists.modern : lists.legacy;
}

// tools/list's result as a request of `protocol_version` is answered, decorated.
Json McpServer::tools_list_result(std::string_view protocol_version) const {
    Json result = {{"tools", tools_.definitions_json()}};
    // ttlMs/cacheScope belong to 2026-07-28; earlier clients ignore unknown fields.
    result["ttlMs"] = kListTtlMs;
    result["cacheScope"] = "public";
    decorate(result, protocol_version);
    return result;
}

Outcome McpServer::call_tool(const Request& request, RequestContext& context) const {
    auto name = request.params.find("name");
    if (name == request.params.end() || !name->is_string()) {
        return invalid_params("tools/call needs params.name (a string); available tools: " +
                              available_tool_names(tools_));
    }
    const Tool* tool = tools_.find(name->get<std::string>());
    if (!tool) {
        return invalid_params("Unknown tool: " + quote_prefix(name->get_ref<const std::string&>()) +
                              "; available tools: " + available_tool_names(tools_));
    }
    // Read where they are, never copied: they may hold megabytes of base64 images.
    static const Json kNoArguments = Json::object();
    const Json* found = &kNoArguments;
    if (auto args = request.params.find("arguments");
        args != request.params.end() && !args->is_null()) {
        if (!args->is_object()) return invalid_params("params.arguments must be an object");
        found = &*args;
    }
    const Json& arguments = *found;
    if (auto error = read_retry_fields(request.params, context)) return *error;
    const auto& definition = tool->definition;
    auto violations =
        validate_against_schema(arguments, definition.checked_schema ? *definition.checked_schema
                                                                     : definition.input_schema);
    if (!violations.empty()) {
        return ToolResult::error("Invalid arguments for " + tool->definition.name + ": " +
                                 describe_violations(violations) + ".")
            .to_json();
    }
    try {
        auto result = tool->handler(arguments, context);
        if (result.input_required && !is_modern_version(context.protocol_version)) {
            return RpcError{error_code::kInternalError,
                            "tool " + tool->definition.name +
                                " asked for input the way only MCP 2026-07-28 clients take",
                            {}};
        }
        if (result.task && !context.tasks_supported) {
            return RpcError{error_code::kInternalError,
                            "tool " + tool->definition.name +
                                " answered with a task the client "
                                "cannot receive",
                            {}};
        }
        return result.to_json();
    } catch (const std::exception& e) {
        // A handler bug must not take the process down; the caller learns it was not its fault.
        return RpcError{error_code::kInternalError,
                        "Internal error in tool " + tool->definition.name + ": " + e.what(),
                        {}};
    }
}

Outcome McpServer::task_method(const Request& request, RequestContext& context) const {
    if (!is_task_method(request.method)) {
        return method_not_found(request.method);
    }
    auto id = request.params.find("taskId");
    if (id == request.params.end() || !id->is_string()) {
        return invalid_params(request.method + " needs params.taskId (a string)");
    }
    const std::string task_id = id->get<std::string>();
    if (request.method == "tasks/get") {
        auto task = tasks_->get(task_id, context);
        if (auto* error = std::get_if<RpcError>(&task)) return *error;
        return std::get<Task>(task).to_json();
    }
    // Our tasks never wait for input, so an update has nothing to deliver: it is acknowledged
    // like a cancellation, once the task is known to belong to the caller.
    if (request.method == "tasks/cancel") {
        if (auto error = tasks_->cancel(task_id, context)) return *error;
    } else {
        auto task = tasks_->get(task_id, context);
        if (auto* error = std::get_if<RpcError>(&task)) return *error;
    }
    return Json::object();
}

}  // namespace rdmcp::protocol
