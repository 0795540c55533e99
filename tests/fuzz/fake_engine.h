#pragma once
// A small MCP engine for the protocol fuzz targets: the real McpServer with a few fake tools and
// a fake TaskProvider, so every method and both protocol generations are reached without a
// network or the RetroDiffusion domain. The tools mirror what real ones do to the engine:
// validated arguments, structured content, progress, a task for Tasks-capable clients, a throw.
#include <memory>
#include <stdexcept>

#include "protocol/mcp_server.h"
#include "protocol/progress.h"

namespace rdmcp::fuzz {

using namespace rdmcp::protocol;

class FakeTasks final : public TaskProvider {
  public:
    std::variant<Task, RpcError> get(const std::string& id,
                                     RequestContext& context) const override {
        if (context.api_key != "owner" || id.rfind("t-", 0) != 0) {
            return RpcError{error_code::kInvalidParams, "Unknown task", {}};
        }
        Task task{.task_id = id,
                  .created_at = iso8601_utc(0),
                  .last_updated_at = iso8601_utc(1000),
                  .ttl_ms = 60000,
                  .poll_interval_ms = 2000};
        if (id == "t-done") {
            task.status = TaskStatus::Completed;
            task.result = ToolResult::text("done").to_json();
        } else if (id == "t-failed") {
            task.status = TaskStatus::Failed;
            task.error = RpcError{error_code::kInternalError, "failed", Json{{"why", id}}};
        }
        return task;
    }
    std::optional<RpcError> cancel(const std::string& id, RequestContext& context) const override {
        auto task = get(id, context);
        if (auto* error = std::get_if<RpcError>(&task)) return *error;
        return std::nullopt;
    }
};

inline ToolRegistry fake_tools() {
    ToolRegistry tools;
    tools.add(
        {{.name = "echo",
          .title = "Echo",
          .description = "Says the text back.",
          .input_schema =
              {{"type", "object"},
               {"properties",
                {{"text", {{"type", "string"}, {"minLength", 1}, {"maxLength", 64}}},
                 {"times", {{"type", "integer"}, {"minimum", 1}, {"maximum", 3}}},
                 {"mode", {{"enum", {"plain", "loud"}}}},
                 {"tags", {{"type", "array"}, {"maxItems", 4}, {"items", {{"type", "string"}}}}},
                 {"scale", {{"type", {"number", "null"}}, {"exclusiveMinimum", 0}}}}},
               {"required", {"text"}},
               {"additionalProperties", false}},
          .output_schema = Json{{"type", "object"}}},
         [](const Json& args, RequestContext& context) {
             send_progress(context, 1, "echoing", 2);
             std::string text = args["text"].get<std::string>();
             auto result = ToolResult::text(text + " (key " + context.api_key + ")");
             result.structured_content = Json{{"text", text}, {"args", args}};
             return result;
         }});
    tools.add({{.name = "slow",
                .title = "Slow",
                .description = "Becomes a task when it can.",
                .input_schema = {{"type", "object"}}},
               [](const Json&, RequestContext& context) {
                   ToolResult result;
                   if (context.tasks_supported) {
                       result.task = Task{.task_id = "t-working",
                                          .created_at = iso8601_utc(0),
                                          .last_updated_at = iso8601_utc(0),
                                          .ttl_ms = 60000,
                                          .poll_interval_ms = 2000};
                   } else {
                       result.add_text("finished synchronously");
                   }
                   return result;
               }});
    tools.add({{.name = "always_task",
                .title = "Always a task",
                .description = "A buggy tool.",
                .input_schema = {{"type", "object"}}},
               [](const Json&, RequestContext&) {
                   ToolResult result;
                   result.task = Task{.task_id = "t-done"};
                   return result;
               }});
    tools.add(
        {{.name = "boom",
          .title = "Boom",
          .description = "Throws.",
          .input_schema = {{"type", "object"}}},
         [](const Json&, RequestContext&) -> ToolResult { throw std::runtime_error("bug"); }});
    tools.add({{.name = "fail",
                .title = "Fail",
                .description = "A tool error.",
                .input_schema = {{"type", "object"}, {"properties", Json::object()}}},
               [](const Json&, RequestContext&) { return ToolResult::error("it failed"); }});
    return tools;
}

// A fixed resource, a template whose reader answers each way a reader can, and a completer.
inline ResourceRegistry fake_resources() {
    ResourceRegistry resources;
    resources.add({.uri = "fuzz://guide", .name = "guide", .mime_type = "text/markdown"},
                  [](RequestContext&) {
                      return ResourceContents::text("fuzz://guide", "text/markdown", "# Guide",
                                                    {1000, CacheScope::Public});
                  });
    resources.add_template(
        {.uri_template = "fuzz://things/{id}", .name = "thing"},
        [](const std::string& uri, const std::string& id, RequestContext&) -> ResourceRead {
            if (id == "missing") return ResourceProblem{ResourceProblem::Kind::NotFound, "gone"};
            if (id == "down") return ResourceProblem{ResourceProblem::Kind::Failed, "down"};
            if (id == "boom") throw std::runtime_error("reader bug");
            return ResourceContents::text(uri, "text/plain", id, {0, CacheScope::Private});
        },
        [](RequestContext&) {
            return std::vector<std::string>{"apple", "apricot", "boom"};
        });
    return resources;
}

// A prompt with a required and a completed argument, whose handler may refuse a value.
inline PromptRegistry fake_prompts() {
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
                         return std::string("mood cannot be angry");
                     }
                     return PromptMessages{}.user("Greet " + arguments.at("who"));
                 }});
    return prompts;
}

inline const McpServer& fake_server() {
    static const McpServer server({"fuzz", "Fuzz", "0.0.1", "Use echo."}, fake_tools(),
                                  std::make_shared<FakeTasks>(), fake_resources(), fake_prompts());
    return server;
}

}  // namespace rdmcp::fuzz
