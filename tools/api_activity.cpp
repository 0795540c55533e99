#include "tools/api_activity.h"

#include "tools/api_fields.h"

namespace rdmcp::tools {

using protocol::Json;

void from_json(const Json& body, ActivityOutput& output) {
    output.position = static_cast<int>(number_in(body, "position").value_or(0));
    output.media_type = text_in(body, "media_type").value_or("");
    output.available = flag_in(body, "available").value_or(false);
    output.url = text_in(body, "url");
    output.retained_until = timestamp_in(body, "retained_until");
}

void from_json(const Json& body, ApiActivity& activity) {
    activity.request_id = text_in(body, "request_id").value_or("");
    activity.operation = text_in(body, "operation").value_or("inference");
    activity.status = text_in(body, "status").value_or("");
    activity.mode = text_in(body, "mode");
    activity.balance_cost = number_in(body, "balance_cost");
    activity.charged = flag_in(body, "charged");
    if (const Json* error = member_in(body, "error"); error && error->is_object()) {
        activity.error_code = text_in(*error, "code");
        activity.error_message = text_in(*error, "message");
    }
    if (const Json* outputs = member_in(body, "outputs"); outputs && outputs->is_array()) {
        for (const auto& output : *outputs) {
            if (output.is_object()) activity.outputs.push_back(output.get<ActivityOutput>());
        }
    }
    activity.output_status = text_in(body, "output_status");
    activity.created_at = timestamp_in(body, "created_at");
    activity.completed_at = timestamp_in(body, "completed_at");
    if (const Json* request = member_in(body, "request"); request && request->is_object()) {
        activity.request = *request;
    }
}

void from_json(const Json& body, TaskList& list) {
    const Json* tasks = member_in(body, "tasks");
    if (!tasks || !tasks->is_array()) return;
    for (const auto& task : *tasks) {
        auto id = text_in(task, "task_id");
        if (!id) continue;
        list.tasks.push_back(
            {*id, text_in(task, "status").value_or(""), timestamp_in(task, "created_at")});
    }
}

}  // namespace rdmcp::tools
