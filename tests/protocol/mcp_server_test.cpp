#include "protocol/mcp_server.h"

#include <doctest/doctest.h>

#include "tests/support/outcomes.h"

using namespace rdmcp::protocol;
using rdmcp::testing::error_of;
using rdmcp::testing::result_of;

namespace {

ToolRegistry example_tools() {
    ToolRegistry tools;
    tools.add({{.name = "echo",
                .title = "Echo",
                .description = "Says the text back.",
                .input_schema = {{"type", "object"},
                                 {"properties", {{"text", {{"type", "string"}}}}},
                                 {"required", {"text"}}}},
               [](const Json& args, RequestContext& context) {
                   auto result = ToolResult::text(args["text"].get<std::string>() + " (key " +
                                                  context.api_key + ")");
                   return result;
               }});
    tools.add(
        {{.name = "boom",
          .title = "Boom",
          .description = "Throws.",
          .input_schema = {{"type", "object"}}},
         [](const Json&, RequestContext&) -> ToolResult { throw std::runtime_error("bug"); }});
    return tools;
}

McpServer example_server() {
    return McpServer({"example", "Example", "1.2.3", "Use echo."}, example_tools());
}

Json modern_meta(const char* version = "2026-07-28") {
    return {{"io.modelcontextprotocol/protocolVersion", version},
            {"io.modelcontextprotocol/clientCapabilities", Json::object()},
            {"io.modelcontextprotocol/clientInfo", {{"name", "test"}, {"version", "1"}}}};
}

// Runs one request the way a transport does: prepare, then handle.
Outcome call(const McpServer& server, LegacySession& session, const std::string& method,
             Json params = Json::object(), RequestContext* context_out = nullptr) {
    Request request{1, method, std::move(params)};
    RequestContext context;
    context.api_key = "rdpk-example";
    if (auto error = server.prepare(request, session, context)) return *error;
    auto outcome = server.handle(request, session, context);
    if (context_out) *context_out = context;
    return outcome;
}

}  // namespace

TEST_CASE("server/discover advertises versions, capabilities and identity (2026-07-28)") {
    auto server = example_server();
    LegacySession session;
    const auto& result =
        result_of(call(server, session, "server/discover", {{"_meta", modern_meta()}}));
    CHECK(result["resultType"] == "complete");
    CHECK(result["supportedVersions"][0] == "2026-07-28");
    CHECK(result["supportedVersions"].size() == 5);
    CHECK(result["capabilities"].contains("tools"));
    CHECK(result["instructions"] == "Use echo.");
    CHECK(result["ttlMs"].is_number_integer());
    CHECK(result["cacheScope"] == "public");
    CHECK(result["_meta"]["io.modelcontextprotocol/serverInfo"] ==
          Json{{"name", "example"}, {"version", "1.2.3"}});
}

TEST_CASE("an unknown protocol version is refused with the versions we support") {
    auto server = example_server();
    LegacySession session;
    const auto& error =
        error_of(call(server, session, "tools/list", {{"_meta", modern_meta("2099-01-01")}}));
    CHECK(error.code == -32022);
    CHECK((*error.data)["requested"] == "2099-01-01");
    CHECK((*error.data)["supported"][0] == "2026-07-28");
}

TEST_CASE("a modern request must declare its client capabilities") {
    auto server = example_server();
    LegacySession session;
    Json meta = modern_meta();
    meta.erase("io.modelcontextprotocol/clientCapabilities");
    const auto& error = error_of(call(server, session, "tools/list", {{"_meta", meta}}));
    CHECK(error.code == -32602);
    CHECK(error.message.find("clientCapabilities") != std::string::npos);
}

TEST_CASE("a request with no version and no handshake says how to fix it") {
    auto server = example_server();
    LegacySession session;
    const auto& error = error_of(call(server, session, "tools/list"));
    CHECK(error.code == -32602);
    CHECK(error.message.find("initialize") != std::string::npos);
    CHECK(error.message.find("io.modelcontextprotocol/protocolVersion") != std::string::npos);
}

TEST_CASE("initialize negotiates a legacy version and never rejects an unknown one") {
    auto server = example_server();
    auto negotiated = [&](const char* requested) {
        LegacySession session;
        auto result = result_of(call(server, session, "initialize",
                                     {{"protocolVersion", requested},
                                      {"capabilities", Json::object()},
                                      {"clientInfo", {{"name", "c"}, {"version", "1"}}}}));
        CHECK(result["serverInfo"]["name"] == "example");
        CHECK(result["capabilities"].contains("tools"));
        CHECK_FALSE(result.contains("resultType"));  // legacy results stay as they were
        return result["protocolVersion"].get<std::string>();
    };
    CHECK(negotiated("2025-06-18") == "2025-06-18");
    CHECK(negotiated("2025-03-26") == "2025-03-26");
    CHECK(negotiated("2024-11-05") == "2024-11-05");
    CHECK(negotiated("2025-11-25") == "2025-11-25");
    CHECK(negotiated("2030-01-01") == "2025-11-25");
    CHECK(negotiated("2026-07-28") == "2025-11-25");  // modern clients do not use initialize
}

TEST_CASE("after initialize, plain requests are served in the negotiated version") {
    auto server = example_server();
    LegacySession session;
    call(server, session, "initialize", {{"protocolVersion", "2025-06-18"}});
    RequestContext context;
    const auto& result = result_of(call(server, session, "tools/list", Json::object(), &context));
    CHECK(context.protocol_version == "2025-06-18");
    CHECK_FALSE(result.contains("resultType"));
    CHECK_FALSE(result.contains("nextCursor"));  // never null: VS Code would loop
}

TEST_CASE("ping is answered before initialize") {
    auto server = example_server();
    LegacySession session;
    CHECK(result_of(call(server, session, "ping")) == Json::object());
}

TEST_CASE("tools/list is deterministic and complete") {
    auto server = example_server();
    LegacySession session;
    const auto& result = result_of(call(server, session, "tools/list", {{"_meta", modern_meta()}}));
    REQUIRE(result["tools"].size() == 2);
    CHECK(result["tools"][0]["name"] == "echo");
    CHECK(result["tools"][1]["name"] == "boom");
    // Only the hints that differ from the spec's defaults (echo: not destructive).
    CHECK(result["tools"][0]["annotations"] == Json{{"destructiveHint", false}});
    CHECK_FALSE(result["tools"][0].contains("outputSchema"));  // omitted, never null
    CHECK(result["ttlMs"].is_number_integer());
    CHECK(result["cacheScope"] == "public");
    CHECK(result == result_of(call(server, session, "tools/list", {{"_meta", modern_meta()}})));

    const auto& error = error_of(
        call(server, session, "tools/list", {{"_meta", modern_meta()}, {"cursor", "page-2"}}));
    CHECK(error.code == -32602);
}

TEST_CASE("tools/call runs the tool with the caller's key from the context") {
    auto server = example_server();
    LegacySession session;
    const auto& result = result_of(
        call(server, session, "tools/call",
             {{"_meta", modern_meta()}, {"name", "echo"}, {"arguments", {{"text", "hi"}}}}));
    CHECK(result["content"][0]["text"] == "hi (key rdpk-example)");
    CHECK(result["resultType"] == "complete");
    CHECK_FALSE(result.contains("isError"));
}

TEST_CASE("tools/call errors: unknown tool is a protocol error, bad arguments a tool error") {
    auto server = example_server();
    LegacySession session;
    const auto& unknown =
        error_of(call(server, session, "tools/call", {{"_meta", modern_meta()}, {"name", "nope"}}));
    CHECK(unknown.code == -32602);
    CHECK(unknown.message.find("echo, boom") != std::string::npos);

    const auto& bad =
        result_of(call(server, session, "tools/call",
                       {{"_meta", modern_meta()}, {"name", "echo"}, {"arguments", {{"text", 5}}}}));
    CHECK(bad["isError"] == true);
    CHECK(bad["content"][0]["text"].get<std::string>().find("argument 'text' must be a string") !=
          std::string::npos);

    const auto& not_object =
        error_of(call(server, session, "tools/call",
                      {{"_meta", modern_meta()}, {"name", "echo"}, {"arguments", "text"}}));
    CHECK(not_object.code == -32602);

    const auto& thrown =
        error_of(call(server, session, "tools/call", {{"_meta", modern_meta()}, {"name", "boom"}}));
    CHECK(thrown.code == -32603);
}

TEST_CASE("unknown methods are -32601") {
    auto server = example_server();
    LegacySession session;
    CHECK(error_of(call(server, session, "resources/list", {{"_meta", modern_meta()}})).code ==
          -32601);
}

TEST_CASE("initialize, ping and logging/setLevel are unknown methods to a 2026-07-28 request") {
    auto server = example_server();
    for (const char* method : {"initialize", "ping", "logging/setLevel"}) {
        CAPTURE(method);
        LegacySession session;
        Json params = {
            {"_meta", modern_meta()}, {"protocolVersion", "2025-11-25"}, {"level", "info"}};
        CHECK(error_of(call(server, session, method, params)).code == -32601);
        CHECK_FALSE(session.state());  // nothing was opened
    }
    // Without the 2026-07-28 _meta they are the 2025 handshake and ping, as before.
    LegacySession session;
    CHECK(result_of(call(server, session, "initialize",
                         {{"protocolVersion", "2025-11-25"}}))["protocolVersion"] == "2025-11-25");
    CHECK(result_of(call(server, session, "ping")) == Json::object());
}

TEST_CASE("the progress token and log level are read from _meta") {
    auto server = example_server();
    LegacySession session;
    Json meta = modern_meta();
    meta["progressToken"] = "p-1";
    meta["io.modelcontextprotocol/logLevel"] = "info";
    RequestContext context;
    call(server, session, "tools/list", {{"_meta", meta}}, &context);
    CHECK(context.progress_token == Json("p-1"));
    CHECK(context.log_level == "info");
}

TEST_CASE("notifications/cancelled cancels the request it names, and only that one") {
    auto server = example_server();
    InFlightRequests in_flight;
    auto first = std::make_shared<CancellationToken>();
    auto second = std::make_shared<CancellationToken>();
    in_flight.add(7, first);
    in_flight.add("7", second);
    server.handle_notification({"notifications/cancelled", {{"requestId", 7}, {"reason", "user"}}},
                               in_flight);
    CHECK(first->is_cancelled());
    CHECK(first->reason() == "cancelled by the client: user");
    CHECK_FALSE(second->is_cancelled());
}

TEST_CASE("a client's megabytes come back as a short prefix: tool names, methods, versions") {
    auto server = example_server();
    LegacySession session;
    const std::string huge = std::string(5u << 20, 'z');
    const std::string marker = "…[cut: 5242880 bytes]";

    const auto tool =
        error_of(call(server, session, "tools/call", {{"_meta", modern_meta()}, {"name", huge}}));
    CHECK(tool.message.size() < 200);
    CHECK(tool.message.rfind("Unknown tool: \"zzz", 0) == 0);
    CHECK(tool.message.find(marker + "; available tools: echo, boom") != std::string::npos);

    const auto method = error_of(call(server, session, huge, {{"_meta", modern_meta()}}));
    CHECK(method.code == -32601);
    CHECK(method.message == "Method not found: \"" + huge.substr(0, 64) + "\"" + marker);

    const auto version =
        error_of(call(server, session, "tools/list", {{"_meta", modern_meta(huge.c_str())}}));
    CHECK(version.code == -32022);
    CHECK(version.message.size() < 200);
    CHECK(version.message.find("send one of 2026-07-28") != std::string::npos);
    CHECK((*version.data)["requested"] == huge.substr(0, 64) + marker);
}
