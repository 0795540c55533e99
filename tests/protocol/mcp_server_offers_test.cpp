// McpServer's resources, prompts and completions, with small registries of its own.
#include <doctest/doctest.h>

#include <stdexcept>

#include "protocol/mcp_server.h"
#include "tests/support/outcomes.h"

using namespace rdmcp::protocol;
using rdmcp::testing::error_of;
using rdmcp::testing::result_of;

namespace {

ResourceRegistry example_resources() {
    ResourceRegistry resources;
    resources.add({.uri = "ex://hello", .name = "hello", .mime_type = "text/plain"},
                  [](RequestContext& context) {
                      return ResourceContents::text("ex://hello", "text/plain",
                                                    "hello " + context.api_key,
                                                    {5000, CacheScope::Private});
                  });
    resources.add({.uri = "ex://broken", .name = "broken"},
                  [](RequestContext&) -> ResourceRead { throw std::runtime_error("reader bug"); });
    resources.add_template(
        {.uri_template = "ex://things/{id}", .name = "thing"},
        [](const std::string& uri, const std::string& id, RequestContext&) -> ResourceRead {
            if (id == "missing") return ResourceProblem{ResourceProblem::Kind::NotFound, "gone"};
            if (id == "down") return ResourceProblem{ResourceProblem::Kind::Failed, "try later"};
            return ResourceContents::text(uri, "text/plain", "thing " + id, {});
        },
        [](RequestContext&) {
            return std::vector<std::string>{"apple", "apricot", "banana"};
        });
    return resources;
}

PromptRegistry example_prompts() {
    PromptRegistry prompts;
    prompts.add({{.name = "greet",
                  .arguments = {{.name = "who", .description = "whom", .required = true},
                                {.name = "mood",
                                 .completer =
                                     [](RequestContext&) {
                                         return std::vector<std::string>{"happy", "grumpy"};
                                     }}}},
                 [](const PromptArguments& arguments, RequestContext&) -> PromptOutcome {
                     if (arguments.count("mood") && arguments.at("mood") == "angry") {
                         return std::string("argument mood cannot be angry");
                     }
                     PromptMessages messages;
                     messages.description = "A greeting";
                     return messages.user("Greet " + arguments.at("who"));
                 }});
    return prompts;
}

McpServer server_with_offers() {
    return McpServer({"example", "Example", "1.0.0", ""}, ToolRegistry{}, nullptr,
                     example_resources(), example_prompts());
}

Json meta() {
    return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
            {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
}

Outcome ask(const McpServer& server, const std::string& method, Json params = Json::object(),
            bool modern = true) {
    LegacySession session;
    RequestContext context;
    context.api_key = "key-1";
    if (modern) {
        params["_meta"] = meta();
    } else {
        Request init{0, "initialize", {{"protocolVersion", "2025-11-25"}}};
        REQUIRE_FALSE(server.prepare(init, session, context));
        REQUIRE(std::holds_alternative<Json>(server.handle(init, session, context)));
    }
    Request request{1, method, std::move(params)};
    if (auto error = server.prepare(request, session, context)) return *error;
    return server.handle(request, session, context);
}

}  // namespace

TEST_CASE("capabilities follow what the server has") {
    auto caps = result_of(ask(server_with_offers(), "server/discover"))["capabilities"];
    CHECK(caps["resources"] == Json::object());
    CHECK(caps["prompts"] == Json::object());
    CHECK(caps["completions"] == Json::object());

    const McpServer tools_only({"example", "Example", "1.0.0", ""}, ToolRegistry{});
    auto plain = result_of(ask(tools_only, "server/discover"))["capabilities"];
    CHECK_FALSE(plain.contains("resources"));
    CHECK_FALSE(plain.contains("prompts"));
    CHECK_FALSE(plain.contains("completions"));
    CHECK(error_of(ask(tools_only, "resources/list")).code == error_code::kMethodNotFound);
    CHECK(error_of(ask(tools_only, "completion/complete")).code == error_code::kMethodNotFound);
}

TEST_CASE("resources/read: contents with the reader's caching hints") {
    auto read = result_of(ask(server_with_offers(), "resources/read", {{"uri", "ex://hello"}}));
    CHECK(read["contents"][0]["text"] == "hello key-1");
    CHECK(read["ttlMs"] == 5000);
    CHECK(read["cacheScope"] == "private");
    CHECK(read["resultType"] == "complete");
    auto thing =
        result_of(ask(server_with_offers(), "resources/read", {{"uri", "ex://things/42"}}));
    CHECK(thing["contents"][0] ==
          Json{{"uri", "ex://things/42"}, {"mimeType", "text/plain"}, {"text", "thing 42"}});
    CHECK(thing["cacheScope"] == "public");
}

TEST_CASE("resources/read: not found is -32602 in 2026-07-28 and -32002 before, with the URI") {
    const auto server = server_with_offers();
    for (const bool modern : {true, false}) {
        CAPTURE(modern);
        const int code = modern ? -32602 : -32002;
        for (const std::string uri : {"ex://nothing", "ex://things/missing", "ex://things/"}) {
            auto error = error_of(ask(server, "resources/read", {{"uri", uri}}, modern));
            CHECK(error.code == code);
            CHECK(error.data == Json{{"uri", uri}});
        }
        CHECK(error_of(ask(server, "resources/read", {{"uri", "ex://things/missing"}}, modern))
                  .message.find("gone") != std::string::npos);
    }
}

TEST_CASE("resources/read: a failed or throwing reader is an internal error, not a crash") {
    const auto server = server_with_offers();
    auto down = error_of(ask(server, "resources/read", {{"uri", "ex://things/down"}}));
    CHECK(down.code == error_code::kInternalError);
    CHECK(down.message == "try later");
    auto broken = error_of(ask(server, "resources/read", {{"uri", "ex://broken"}}));
    CHECK(broken.code == error_code::kInternalError);
    CHECK(broken.message.find("reader bug") != std::string::npos);
    CHECK(error_of(ask(server, "resources/read", {{"uri", 7}})).code == error_code::kInvalidParams);
}

TEST_CASE("prompts/get: messages, or invalid params saying what is wrong") {
    const auto server = server_with_offers();
    auto got =
        result_of(ask(server, "prompts/get", {{"name", "greet"}, {"arguments", {{"who", "Ada"}}}}));
    CHECK(got["description"] == "A greeting");
    CHECK(got["messages"][0] ==
          Json{{"role", "user"}, {"content", {{"type", "text"}, {"text", "Greet Ada"}}}});
    auto angry =
        error_of(ask(server, "prompts/get",
                     {{"name", "greet"}, {"arguments", {{"who", "Ada"}, {"mood", "angry"}}}}));
    CHECK(angry.code == error_code::kInvalidParams);
    CHECK(angry.message == "argument mood cannot be angry");
    auto unknown = error_of(ask(server, "prompts/get", {{"name", "wave"}}));
    CHECK(unknown.message == "Unknown prompt: \"wave\"; prompts: greet");
}

TEST_CASE("completion/complete: prompt arguments and template variables, ranked") {
    const auto server = server_with_offers();
    auto mood = result_of(ask(server, "completion/complete",
                              {{"ref", {{"type", "ref/prompt"}, {"name", "greet"}}},
                               {"argument", {{"name", "mood"}, {"value", "gr"}}}}));
    CHECK(mood["completion"] == Json{{"values", {"grumpy"}}, {"total", 1}, {"hasMore", false}});
    auto fruit = result_of(ask(server, "completion/complete",
                               {{"ref", {{"type", "ref/resource"}, {"uri", "ex://things/{id}"}}},
                                {"argument", {{"name", "id"}, {"value", "ap"}}}}));
    CHECK(fruit["completion"]["values"] == Json::array({"apple", "apricot"}));
    auto nothing = result_of(ask(server, "completion/complete",
                                 {{"ref", {{"type", "ref/prompt"}, {"name", "greet"}}},
                                  {"argument", {{"name", "who"}, {"value", "A"}}}}));
    CHECK(nothing["completion"]["values"].empty());
    CHECK(error_of(ask(server, "completion/complete",
                       {{"ref", {{"type", "ref/prompt"}, {"name", "nope"}}},
                        {"argument", {{"name", "who"}, {"value", ""}}}}))
              .code == error_code::kInvalidParams);
    CHECK(error_of(ask(server, "completion/complete", {{"ref", "greet"}})).code ==
          error_code::kInvalidParams);
}

TEST_CASE("the lists carry caching hints and refuse a cursor") {
    const auto server = server_with_offers();
    for (const char* method : {"resources/list", "resources/templates/list", "prompts/list"}) {
        CAPTURE(method);
        auto listed = result_of(ask(server, method));
        CHECK(listed["ttlMs"] == 3600000);
        CHECK(listed["cacheScope"] == "public");
        CHECK(error_of(ask(server, method, {{"cursor", "x"}})).code == error_code::kInvalidParams);
    }
    CHECK(result_of(ask(server, "resources/templates/list"))["resourceTemplates"][0] ==
          Json{{"uriTemplate", "ex://things/{id}"}, {"name", "thing"}});
}
