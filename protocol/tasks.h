#pragma once
// The Tasks extension (io.modelcontextprotocol/tasks, for 2026-07-28): a tools/call may answer
// with a task handle instead of a result, which the client polls with tasks/get. The engine
// knows the shapes and methods; what a task is and where its state lives belongs to a
// TaskProvider (for us: the RetroDiffusion async job behind a signed id).
#include <optional>
#include <string>
#include <variant>

#include "protocol/json_rpc.h"
#include "protocol/request_context.h"

namespace rdmcp::protocol {

inline constexpr const char* kTasksExtension = "io.modelcontextprotocol/tasks";

enum class TaskStatus { Working, InputRequired, Completed, Cancelled, Failed };

struct Task {
    std::string task_id;
    TaskStatus status = TaskStatus::Working;
    std::string status_message;       // omitted when empty
    std::string created_at;           // ISO 8601
    std::string last_updated_at;      // ISO 8601
    std::optional<long long> ttl_ms;  // null: unlimited
    std::optional<int> poll_interval_ms;
    std::optional<Json> result;     // Completed: the request's result (a CallToolResult)
    std::optional<RpcError> error;  // Failed: the JSON-RPC error

    Json to_json() const;  // the Task / DetailedTask shape, without resultType
};

// Where tasks live. Implementations must verify that the task belongs to the caller.
class TaskProvider {
  public:
    virtual ~TaskProvider() = default;
    virtual std::variant<Task, RpcError> get(const std::string& task_id,
                                             RequestContext& context) const = 0;
    // Cooperative: an acknowledgement, or an error for an unknown task.
    virtual std::optional<RpcError> cancel(const std::string& task_id,
                                           RequestContext& context) const = 0;
};

// Whether this request's client declared the extension (2026-07-28 per-request capabilities).
bool declares_tasks_extension(const Json& client_capabilities);

std::string iso8601_utc(long long unix_ms);

}  // namespace rdmcp::protocol
