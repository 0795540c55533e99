#pragma once
// API Activity (v2: GET /inferences/requests/{request_id}): the API's record of every call of
// every product (generations, edit tools, Pixel Fixer, Low-Poly), with fresh signed links to its
// outputs for 24 hours and its metadata for 30 days. What get_inference_result recovers from,
// read by type like every answer (tools/api_fields.h).
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

struct ActivityOutput {
    int position = 0;
    std::string media_type;                     // "image/png", "image/gif", ...
    bool available = false;                     // false once the 24 hours are over
    std::optional<std::string> url;             // a fresh signed link (15 minutes), when available
    std::optional<std::string> retained_until;  // ISO 8601
};

struct ApiActivity {
    std::string request_id;
    std::string operation = "inference";  // inference, edit_tool, pixel_fixer.standard, ...
    std::string status;                   // queued, running, succeeded, failed
    std::optional<std::string> mode;      // sync, async
    std::optional<double> balance_cost;   // USD
    std::optional<bool> charged;
    std::optional<std::string> error_code, error_message;
    std::vector<ActivityOutput> outputs;
    std::optional<std::string> output_status;
    std::optional<std::string> created_at, completed_at;  // ISO 8601
    protocol::Json request = protocol::Json::object();    // the API's summary of what was asked
};

void from_json(const protocol::Json& body, ActivityOutput& output);
void from_json(const protocol::Json& body, ApiActivity& activity);

// A page of the key's API Activity (v2: GET /inferences/requests), newest first.
struct ActivityPage {
    std::vector<ApiActivity> items;
};

void from_json(const protocol::Json& body, ActivityPage& page);

// One of the key's inference tasks (v2: GET /inferences/tasks, newest first).
struct TaskSummary {
    std::string task_id;
    std::string status;
    long long created_at_ms = 0;  // Unix time; 0 when the API sent none we could read
};

struct TaskList {
    std::vector<TaskSummary> tasks;
};

void from_json(const protocol::Json& body, TaskList& list);

// A time the API sent as Unix seconds or as ISO 8601 ("2026-12-05T00:49:39Z", fractions and
// offsets allowed), in Unix milliseconds; nothing when it is neither.
std::optional<long long> unix_ms_in(const protocol::Json& body, const char* name);

}  // namespace rdmcp::tools
