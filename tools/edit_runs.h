#pragma once
// Running a canvas edit tool upstream, the two ways the API offers. A paid run is never sent
// blindly twice:
//   - as a task (POST /edit/tools/{id}/tasks, then GET /edit/tasks/{task_id}): its `custom_id`
//     is the API's idempotency key, so a lost admission is asked for again with the same id, and
//     a run that outlasts the call is picked up later by calling again with that id;
//   - at once (POST /edit/tools/{id}): sent once; when its answer is lost, the agent is told to
//     look for the result before running it again.
#include <optional>
#include <string>
#include <variant>

#include "protocol/request_context.h"
#include "protocol/tool.h"
#include "tools/edit_tool_request.h"
#include "tools/upstream_client.h"

namespace rdmcp::tools {

// What both edit tools start from: the tool's catalog entry and the request checked against it.
struct PreparedEdit {
    EditToolDefinition tool;
    EditToolRequest request;
};

// Reads tool_id, finds the tool in the catalog and builds the request; or the refusal to return
// (nothing sent but the public catalog read).
std::variant<PreparedEdit, protocol::ToolResult> prepare_edit(const protocol::Json& arguments,
                                                              EditToolCatalog& catalog,
                                                              protocol::RequestContext& context,
                                                              bool allow_local_files);

// The run's output (ExternalEditToolRunOutput: base64_images and/or output_urls, cost, balance),
// or the tool error to return as is.
using EditRunAnswer = std::variant<protocol::Json, protocol::ToolResult>;

struct EditTaskRun {
    EditRunAnswer answer;
    // The API has no task endpoint for this tool (404/405 on it, the tool itself known): nothing
    // was admitted or charged, and the run may go the synchronous way instead.
    bool tasks_unavailable = false;
};

// `request.custom_id` must be set: the idempotency key of this run.
EditTaskRun run_edit_task(const EditToolRequest& request, const UpstreamClient& upstream,
                          protocol::RequestContext& context,
                          std::chrono::milliseconds progress_interval);

EditRunAnswer run_edit_now(const EditToolRequest& request, const UpstreamClient& upstream,
                           protocol::RequestContext& context,
                           std::chrono::milliseconds progress_interval);

}  // namespace rdmcp::tools
