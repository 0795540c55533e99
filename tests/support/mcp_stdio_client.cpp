#include "tests/support/mcp_stdio_client.h"

#include <stdexcept>

namespace rdmcp::testing {

namespace {
std::vector<std::string> stdio_server_argv(std::vector<std::string> args) {
    args.insert(args.begin(), RDMCP_SERVER_BINARY);
    return args;
}
}  // namespace

Json modern_meta(Json extra) {
    Json meta = {
        {"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
        {"io.modelcontextprotocol/clientCapabilities", Json::object()},
        {"io.modelcontextprotocol/clientInfo", {{"name", "integration-test"}, {"version", "1"}}}};
    meta.update(extra);
    return meta;
}

McpStdioClient::McpStdioClient(std::vector<std::string> args,
                               std::map<std::string, std::string> env)
    : process_(stdio_server_argv(std::move(args)), with_api_version(std::move(env))) {}

std::optional<Json> McpStdioClient::next_message(std::chrono::milliseconds timeout) {
    auto line = process_.read_line(timeout);
    if (!line) return std::nullopt;
    return Json::parse(*line);  // anything but JSON on stdout is a bug the test should see
}

Json McpStdioClient::send_and_wait(const Json& message, const Json& id,
                                   std::chrono::milliseconds timeout) {
    process_.write_line(message.dump());
    return wait_for(id, timeout);
}

Json McpStdioClient::wait_for(const Json& id, std::chrono::milliseconds timeout) {
    for (auto it = early_responses_.begin(); it != early_responses_.end(); ++it) {
        if ((*it)["id"] == id) {
            Json found = *it;
            early_responses_.erase(it);
            return found;
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto reply = next_message(left);
        if (!reply) break;
        if (!reply->contains("id")) {
            notifications_.push_back(*reply);
        } else if (reply->contains("method")) {
            answer_server_request(*reply);
        } else if ((*reply)["id"] == id) {
            return *reply;
        } else {
            early_responses_.push_back(*reply);
        }
    }
    throw std::runtime_error("no answer to request " + id.dump() + "; server stderr:\n" +
                             process_.stderr_text());
}

void McpStdioClient::answer_server_request(const Json& request) {
    server_requests_.push_back(request);
    Json response = {{"jsonrpc", "2.0"}, {"id", request["id"]}};
    if (!answer_server_request_) {
        response["error"] = {{"code", -32601}, {"message", "Method not found"}};
    } else {
        try {
            response["result"] = answer_server_request_(request);
        } catch (const std::exception& e) {
            response["error"] = {{"code", -32603}, {"message", e.what()}};
        }
    }
    process_.write_line(response.dump());
}

Json McpStdioClient::request(const std::string& method, Json params,
                             std::chrono::milliseconds timeout) {
    const int id = next_id();
    return send_and_wait({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}},
                         id, timeout);
}

void McpStdioClient::notify(const std::string& method, Json params) {
    process_.write_line(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}}.dump());
}

Json McpStdioClient::initialize(const std::string& version, Json capabilities) {
    Json reply =
        request("initialize", {{"protocolVersion", version},
                               {"capabilities", std::move(capabilities)},
                               {"clientInfo", {{"name", "integration-test"}, {"version", "1"}}}});
    notify("notifications/initialized");
    return reply;
}

Json McpStdioClient::call_tool_modern(const std::string& name, Json arguments, Json extra_meta) {
    return request("tools/call",
                   {{"_meta", modern_meta(extra_meta)}, {"name", name}, {"arguments", arguments}},
                   std::chrono::seconds(60));
}

}  // namespace rdmcp::testing
