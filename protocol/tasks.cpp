#include "protocol/tasks.h"

#include <ctime>

namespace rdmcp::protocol {

namespace {
const char* status_name(TaskStatus status) {
    switch (status) {
        case TaskStatus::Working:
            return "working";
        case TaskStatus::InputRequired:
            return "input_required";
        case TaskStatus::Completed:
            return "completed";
        case TaskStatus::Cancelled:
            return "cancelled";
        case TaskStatus::Failed:
            return "failed";
    }
    return "working";
}
}  // namespace

Json Task::to_json() const {
    Json task = {{"taskId", task_id},
                 {"status", status_name(status)},
                 {"createdAt", created_at},
                 {"lastUpdatedAt", last_updated_at},
                 {"ttlMs", ttl_ms ? Json(*ttl_ms) : Json(nullptr)}};
    if (!status_message.empty()) task["statusMessage"] = status_message;
    if (poll_interval_ms) task["pollIntervalMs"] = *poll_interval_ms;
    if (status == TaskStatus::Completed && result) task["result"] = *result;
    if (status == TaskStatus::Failed && error) task["error"] = error->to_json();
    return task;
}

bool declares_tasks_extension(const Json& client_capabilities) {
    auto extensions = client_capabilities.find("extensions");
    return extensions != client_capabilities.end() && extensions->is_object() &&
           extensions->contains(kTasksExtension);
}

std::string iso8601_utc(long long unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(unix_ms % 1000));
    return text;
}

}  // namespace rdmcp::protocol
