#include "protocol/tasks.h"

#include <doctest/doctest.h>

#include "protocol/mcp_server.h"

using namespace rdmcp::protocol;

namespace {

// Tasks that exist for the key "owner" only; "t-done" is complete.
class FakeTasks final : public TaskProvider {
  public:
    std::variant<Task, RpcError> get(const std::string& id,
                                     RequestContext& context) const override {
        if (context.api_key != "owner" || (id != "t-working" && id != "t-done")) {
            return RpcError{error_code::kInvalidParams, "Unknown task", {}};
        }
        Task task{.task_id = id,
                  .created_at = "2026-01-01T00:00:00.000Z",
                  .last_updated_at = "2026-01-01T00:00:01.000Z",
                  .ttl_ms = 60000,
                  .poll_interval_ms = 2000};
        if (id == "t-done") {
            task.status = TaskStatus::Completed;
            task.result = Json{{"content", Json::array({{{"type", "text"}, {"text", "done"}}})}};
        }
        return task;
    }
    std::optional<RpcError> cancel(const std::string& id, RequestContext& context) const override {
        auto task = get(id, context);
        if (auto* error = std::get_if<RpcError>(&task)) return *error;
        return std::nullopt;
    }
};

ToolRegistry tools_with_a_slow_one() {
    ToolRegistry tools;
    tools.add({{.name = "slow",
                .title = "Slow",
                .description = "May become a task.",
                .input_schema = {{"type", "object"}}},
               [](const Json&, RequestContext& context) {
                   ToolResult result;
                   if (context.tasks_supported) {
                       result.task = Task{.task_id = "t-working",
                                          .created_at = "2026-01-01T00:00:00.000Z",
                                          .last_updated_at = "2026-01-01T00:00:00.000Z",
                                          .ttl_ms = 60000,
                                          .poll_interval_ms = 2000};
                   } else {
                       result.add_text("finished synchronously");
                   }
                   return result;
               }});
    return tools;
}

Json meta(bool with_tasks) {
    Json capabilities = Json::object();
    if (with_tasks) capabilities["extensions"] = {{kTasksExtension, Json::object()}};
    return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
            {"io.modelcontextprotocol/clientCapabilities", capabilities}};
}

Outcome run(const McpServer& server, const std::string& method, Json params,
            const std::string& key = "owner") {
    LegacySession session;
    RequestContext context;
    context.api_key = key;
    Request request{1, method, std::move(params)};
    if (auto error = server.prepare(request, session, context)) return *error;
    return server.handle(request, session, context);
}

}  // namespace

TEST_CASE("discovery advertises the extension only when tasks are offered") {
    McpServer with({"s", "S", "1", ""}, tools_with_a_slow_one(), std::make_shared<FakeTasks>());
    McpServer without({"s", "S", "1", ""}, tools_with_a_slow_one());
    auto offered = std::get<Json>(run(with, "server/discover", {{"_meta", meta(true)}}));
    CHECK(offered["capabilities"]["extensions"].contains(kTasksExtension));
    auto plain = std::get<Json>(run(without, "server/discover", {{"_meta", meta(true)}}));
    CHECK_FALSE(plain["capabilities"].contains("extensions"));
}

TEST_CASE("a tool answers with a task only to clients that declared the extension") {
    McpServer server({"s", "S", "1", ""}, tools_with_a_slow_one(), std::make_shared<FakeTasks>());
    auto task =
        std::get<Json>(run(server, "tools/call", {{"_meta", meta(true)}, {"name", "slow"}}));
    CHECK(task["resultType"] == "task");
    CHECK(task["taskId"] == "t-working");
    CHECK(task["status"] == "working");
    CHECK(task["ttlMs"] == 60000);
    CHECK(task["pollIntervalMs"] == 2000);
    CHECK_FALSE(task.contains("content"));

    auto plain =
        std::get<Json>(run(server, "tools/call", {{"_meta", meta(false)}, {"name", "slow"}}));
    CHECK(plain["resultType"] == "complete");
    CHECK(plain["content"][0]["text"] == "finished synchronously");
}

TEST_CASE("tasks/get, tasks/cancel and tasks/update") {
    McpServer server({"s", "S", "1", ""}, tools_with_a_slow_one(), std::make_shared<FakeTasks>());
    auto done =
        std::get<Json>(run(server, "tasks/get", {{"_meta", meta(true)}, {"taskId", "t-done"}}));
    CHECK(done["resultType"] == "complete");
    CHECK(done["status"] == "completed");
    CHECK(done["result"]["content"][0]["text"] == "done");

    auto cancelled = std::get<Json>(
        run(server, "tasks/cancel", {{"_meta", meta(true)}, {"taskId", "t-working"}}));
    CHECK(cancelled["resultType"] == "complete");
    auto updated = std::get<Json>(
        run(server, "tasks/update",
            {{"_meta", meta(true)}, {"taskId", "t-working"}, {"inputResponses", Json::object()}}));
    CHECK(updated["resultType"] == "complete");

    CHECK(std::get<RpcError>(
              run(server, "tasks/get", {{"_meta", meta(true)}, {"taskId", "t-done"}}, "intruder"))
              .code == -32602);
    CHECK(std::get<RpcError>(run(server, "tasks/get", {{"_meta", meta(true)}})).code == -32602);
    CHECK(std::get<RpcError>(run(server, "tasks/list", {{"_meta", meta(true)}, {"taskId", "x"}}))
              .code == -32601);
}

TEST_CASE("a 2026-07-28 client that did not declare the extension gets -32021 naming it") {
    McpServer server({"s", "S", "1", ""}, tools_with_a_slow_one(), std::make_shared<FakeTasks>());
    for (const char* method : {"tasks/get", "tasks/cancel", "tasks/update"}) {
        CAPTURE(method);
        auto error =
            std::get<RpcError>(run(server, method, {{"_meta", meta(false)}, {"taskId", "t-done"}}));
        CHECK(error.code == -32021);
        CHECK(error.data == Json{{"requiredCapabilities",
                                  {{"extensions", {{kTasksExtension, Json::object()}}}}}});
    }
    // A method the extension does not define stays unknown, declared or not.
    CHECK(std::get<RpcError>(run(server, "tasks/list", {{"_meta", meta(false)}})).code == -32601);
}

TEST_CASE("task JSON follows the extension's shapes") {
    Task failed{.task_id = "t",
                .status = TaskStatus::Failed,
                .created_at = "a",
                .last_updated_at = "b",
                .ttl_ms = std::nullopt,
                .error = RpcError{-32603, "boom", {}}};
    auto json = failed.to_json();
    CHECK(json["ttlMs"].is_null());  // null means unlimited; never omitted
    CHECK(json["error"]["code"] == -32603);
    CHECK_FALSE(json.contains("result"));
    CHECK_FALSE(json.contains("pollIntervalMs"));
    CHECK(iso8601_utc(0) == "1970-01-01T00:00:00.000Z");
}

// Found by tests/fuzz (fuzz_upstream_responses): a provider that throws (ours read a malformed
// upstream answer) took the whole process down, since transports run tasks/get on worker
// threads. It is an internal error for that request now.
TEST_CASE("a task provider that throws gives an internal error, not a crash") {
    class ThrowingTasks final : public TaskProvider {
      public:
        std::variant<Task, RpcError> get(const std::string&, RequestContext&) const override {
            throw Json::type_error::create(302, "type must be string, but is number", nullptr);
        }
        std::optional<RpcError> cancel(const std::string&, RequestContext&) const override {
            throw std::runtime_error("bug");
        }
    };
    McpServer server({"s", "S", "1", ""}, tools_with_a_slow_one(),
                     std::make_shared<ThrowingTasks>());
    for (const char* method : {"tasks/get", "tasks/cancel", "tasks/update"}) {
        auto outcome = run(server, method, {{"_meta", meta(true)}, {"taskId", "t-done"}});
        REQUIRE(std::holds_alternative<RpcError>(outcome));
        CHECK(std::get<RpcError>(outcome).code == error_code::kInternalError);
        CHECK(std::get<RpcError>(outcome).message.find(method) != std::string::npos);
    }
}
