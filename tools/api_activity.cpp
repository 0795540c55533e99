#include "tools/api_activity.h"

#include <cctype>
#include <cstdio>
#include <ctime>

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

void from_json(const Json& body, ActivityPage& page) {
    const Json* items = member_in(body, "items");
    if (!items || !items->is_array()) return;
    for (const auto& item : *items) {
        auto activity = item.get<ApiActivity>();
        if (!activity.request_id.empty()) page.items.push_back(std::move(activity));
    }
}

void from_json(const Json& body, TaskList& list) {
    const Json* tasks = member_in(body, "tasks");
    if (!tasks || !tasks->is_array()) return;
    for (const auto& task : *tasks) {
        auto id = text_in(task, "task_id");
        if (!id) continue;
        list.tasks.push_back({*id, text_in(task, "status").value_or(""),
                              unix_ms_in(task, "created_at").value_or(0)});
    }
}

std::optional<long long> unix_ms_in(const Json& body, const char* name) {
    if (auto seconds = number_in(body, name)) return static_cast<long long>(*seconds * 1000);
    auto text = text_in(body, name);
    if (!text) return std::nullopt;
    std::tm time{};
    int fraction_ms = 0;
    const char* rest = strptime(text->c_str(), "%Y-%m-%dT%H:%M:%S", &time);
    if (!rest) return std::nullopt;
    if (*rest == '.') {
        int digits = 0;
        for (++rest; std::isdigit(static_cast<unsigned char>(*rest)); ++rest, ++digits) {
            if (digits < 3) fraction_ms = fraction_ms * 10 + (*rest - '0');
        }
        for (; digits < 3; ++digits) fraction_ms *= 10;
    }
    long long offset_seconds = 0;
    if (*rest == '+' || *rest == '-') {
        int hours = 0, minutes = 0;
        if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2) return std::nullopt;
        offset_seconds = (*rest == '+' ? 1 : -1) * (hours * 3600LL + minutes * 60LL);
    } else if (*rest != 'Z' && *rest != '\0') {
        return std::nullopt;
    }
    return (static_cast<long long>(timegm(&time)) - offset_seconds) * 1000 + fraction_ms;
}

}  // namespace rdmcp::tools
