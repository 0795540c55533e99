#pragma once
// What MCP needs to know of a tool: its definition (as tools/list shows it) and a handler that
// turns validated arguments into a result. The tools themselves live in tools/.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_rpc.h"
#include "protocol/request_context.h"
#include "protocol/tasks.h"

namespace rdmcp::protocol {

struct ToolAnnotations {
    bool read_only = false;
    bool destructive = false;
    bool idempotent = false;
    bool open_world = true;
};

struct ToolDefinition {
    std::string name;
    std::string title;
    std::string description;
    Json input_schema;  // JSON Schema object; arguments are checked against it
    // When set, arguments are checked against this instead: the whole of what the tool takes,
    // where input_schema lists only part of it to spare the agent's context (tools/list).
    std::optional<Json> checked_schema;
    std::optional<Json> output_schema;  // when set, structuredContent conforms to it
    ToolAnnotations annotations;

    Json to_json() const;
};

// A tools/call result. Errors an agent can act on (bad arguments, upstream failures) are results
// with is_error set, never protocol errors.
struct ToolResult {
    Json content = Json::array();
    std::optional<Json> structured_content;
    bool is_error = false;
    // Set instead of content when the work goes on as a task (only for clients that declared
    // the Tasks extension: see RequestContext::tasks_supported).
    std::optional<Task> task;
    // Set instead of content when the call needs the user's input first (2026-07-28 clients
    // only): answered as `resultType: "input_required"` with these inputRequests and the
    // requestState the client echoes back on its retry (protocol/mrtr in the spec).
    struct InputRequired {
        Json input_requests = Json::object();  // key -> {method, params}
        std::string request_state;
    };
    std::optional<InputRequired> input_required;

    static ToolResult error(std::string message);
    static ToolResult text(std::string text);
    ToolResult& add_text(std::string text);
    Json to_json() const;
};

using ToolHandler = std::function<ToolResult(const Json& arguments, RequestContext& context)>;

struct Tool {
    ToolDefinition definition;
    ToolHandler handler;
};

// The tools a server offers, in the order they were added (tools/list is deterministic).
// A tool is added by name with a maker: the makers run together the first time the registry is
// read (tools/list, tools/call), not when the server starts, so a cold start answers initialize
// without building every definition and schema first (half of its instructions before). Reads
// are thread-safe; adding is not, and ends before the registry is shared.
class ToolRegistry {
  public:
    using Maker = std::function<Tool()>;
    void add(Tool tool);
    void add(std::string name, Maker make);
    const Tool* find(std::string_view name) const;
    const std::vector<Tool>& tools() const { return built().tools; }
    // The names, known without making the tools.
    const std::vector<std::string>& names() const { return state_->names; }
    // Built once, so tools/list does not rebuild every schema on each request.
    const Json& definitions_json() const { return built().definitions; }

  private:
    struct State {
        std::vector<std::string> names;
        std::vector<Maker> makers;  // one per name, run once
        std::once_flag made;
        bool sealed = false;  // read once: no more adding
        std::vector<Tool> tools;
        Json definitions = Json::array();
    };
    const State& built() const;
    // Shared, so a registry moves and copies (a once_flag does neither); it is immutable once
    // built.
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace rdmcp::protocol
