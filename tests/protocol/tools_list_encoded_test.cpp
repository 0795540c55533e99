// tools/list is answered with text encoded once per protocol generation, at the first tools/list
// (protocol/mcp_server.h): its bytes must be those of encoding the Json form tools/list was
// built as for each request before, for every generation and tool set.
#include <doctest/doctest.h>

#include "protocol/mcp_server.h"
#include "tools/retrodiffusion_tools.h"

using namespace rdmcp::protocol;

namespace {

const ServerIdentity kIdentity{"example", "Example", "1.2.3", "Use echo."};
constexpr const char* kModern = "2026-07-28";
const std::vector<std::string> kLegacyVersions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                  "2024-11-05"};

// Tools whose texts need escaping (non-ASCII, quotes), with and without output schemas.
ToolRegistry escaped_example_tools() {
    ToolRegistry tools;
    tools.add({{.name = "echo",
                .title = "\u00c9cho",
                .description = "Says the text back \u2014 \"quoted\".",
                .input_schema = {{"type", "object"},
                                 {"properties", {{"text", {{"type", "string"}}}}},
                                 {"required", {"text"}}},
                .output_schema = Json{{"type", "object"}},
                .annotations = {.read_only = true, .idempotent = true}},
               [](const Json&, RequestContext&) { return ToolResult::text("x"); }});
    tools.add({{.name = "boom", .title = "Boom", .input_schema = {{"type", "object"}}},
               [](const Json&, RequestContext&) { return ToolResult::text("y"); }});
    return tools;
}

// tools/list's result as it was built and decorated for each request before it was encoded
// ahead (McpServer::handle's decoration for 2026-07-28).
Json tools_list_json(const McpServer& server, bool modern) {
    Json result = {{"tools", server.tools().definitions_json()}};
    result["ttlMs"] = 3'600'000;
    result["cacheScope"] = "public";
    if (modern) {
        result["resultType"] = "complete";
        result["_meta"]["io.modelcontextprotocol/serverInfo"] = {
            {"name", server.identity().name}, {"version", server.identity().version}};
    }
    return result;
}

// tools/list as a client of `version` asks it: in _meta (2026-07-28), or after the handshake.
Outcome list_tools(const McpServer& server, const std::string& version, RequestId id = 1,
                   Json params = Json::object()) {
    LegacySession session;
    if (version == kModern) {
        params["_meta"] = {{"io.modelcontextprotocol/protocolVersion", version},
                           {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
    } else {
        session.initialize({version, Json::object(), Json::object()});
    }
    Request request{std::move(id), "tools/list", std::move(params)};
    RequestContext context;
    if (auto error = server.prepare(request, session, context)) return *error;
    return server.handle(request, session, context);
}

void check_byte_identical(const McpServer& server) {
    for (const RequestId& id : {RequestId(7), RequestId("req-\"1\"")}) {
        CAPTURE(id.dump());
        const auto modern = list_tools(server, kModern, id);
        REQUIRE(std::holds_alternative<EncodedJson>(modern));
        CHECK(encode_outcome(id, modern) == encode_result(id, tools_list_json(server, true)));
        for (const auto& version : kLegacyVersions) {
            CAPTURE(version);
            const auto legacy = list_tools(server, version, id);
            REQUIRE(std::holds_alternative<EncodedJson>(legacy));
            CHECK(encode_outcome(id, legacy) == encode_result(id, tools_list_json(server, false)));
        }
    }
}

}  // namespace

TEST_CASE("tools/list is answered with the bytes of its Json form, in both generations") {
    const McpServer server(kIdentity, escaped_example_tools());
    check_byte_identical(server);
    const auto modern = result_json(list_tools(server, kModern));
    REQUIRE(modern);
    CHECK((*modern)["tools"].size() == 2);
    CHECK((*modern)["resultType"] == "complete");
    const auto legacy = result_json(list_tools(server, "2025-11-25"));
    REQUIRE(legacy);
    CHECK((*legacy)["tools"] == (*modern)["tools"]);
    CHECK_FALSE(legacy->contains("resultType"));
    CHECK_FALSE(legacy->contains("_meta"));
}

TEST_CASE("every tools/list of a generation shares one text encoded when the server was made") {
    const McpServer server(kIdentity, escaped_example_tools());
    auto text = [&](const std::string& version) {
        return std::get<EncodedJson>(list_tools(server, version)).text;
    };
    CHECK(text(kModern) == text(kModern));  // the same string, not a copy
    CHECK(text("2025-11-25") == text("2025-06-18"));
    CHECK(text(kModern) != text("2025-11-25"));
    CHECK(*text(kModern) != *text("2025-11-25"));
    // A copy of the server shares them too; another tool set has its own.
    const McpServer copy = server;
    CHECK(std::get<EncodedJson>(list_tools(copy, kModern)).text == text(kModern));
    ToolRegistry fewer;
    fewer.add(escaped_example_tools().tools().front());
    const McpServer other(kIdentity, std::move(fewer));
    CHECK(result_json(list_tools(other, kModern)).value()["tools"].size() == 1);
    check_byte_identical(other);
}

TEST_CASE("tools/list still has a single page") {
    const McpServer server(kIdentity, escaped_example_tools());
    for (const std::string version : {kModern, "2025-11-25"}) {
        const auto paged = list_tools(server, version, 1, {{"cursor", "page-2"}});
        REQUIRE(std::holds_alternative<RpcError>(paged));
        CHECK(std::get<RpcError>(paged).code == error_code::kInvalidParams);
        CHECK(std::holds_alternative<EncodedJson>(
            list_tools(server, version, 1, {{"cursor", nullptr}})));
    }
}

TEST_CASE("tools/list of the RetroDiffusion tool sets is byte-identical to its Json form") {
    using namespace rdmcp::tools;
    for (const std::set<std::string>& toolsets :
         {std::set<std::string>{}, {"generate"}, {"edit", "lowpoly"}}) {
        CAPTURE(toolsets.size());
        ToolsConfig config;
        config.toolsets = toolsets;
        auto set = make_tool_set(std::make_shared<const UpstreamClient>(
                                     UpstreamConfig{.base_url = "http://127.0.0.1:9"}),
                                 config);
        const auto count = set.registry.tools().size();
        const McpServer server(kIdentity, std::move(set.registry), std::move(set.tasks),
                               std::move(set.resources), std::move(set.prompts));
        check_byte_identical(server);
        CHECK(result_json(list_tools(server, kModern)).value()["tools"].size() == count);
    }
}
