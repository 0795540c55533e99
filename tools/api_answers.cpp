#include "tools/api_answers.h"

#include <cmath>

#include "tools/api_fields.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

bool is_array_in(const Json& body, const char* name) {
    const Json* value = member_in(body, name);
    return value && value->is_array();
}

// A status code the API put in a job's error: an HTTP status, else nothing.
std::optional<int> http_status_in(const Json& body, const char* name) {
    auto code = number_in(body, name);
    if (!code || std::floor(*code) != *code || *code < 100 || *code > 599) return std::nullopt;
    return static_cast<int>(*code);
}

JobFailure failure_in(const Json& body) {
    JobFailure failure;
    const Json* error = member_in(body, "error");
    if (!error) return failure;
    if (error->is_string()) {
        failure.detail = error->get<std::string>();
        return failure;
    }
    failure.status_code = http_status_in(*error, "status_code");
    // A message, or what the API put in its place (FastAPI sends a list of problems): as it came.
    if (const Json* detail = member_in(*error, "detail"); detail && !detail->is_null()) {
        failure.detail = detail->is_string()
                             ? detail->get<std::string>()
                             : detail->dump(-1, ' ', false, Json::error_handler_t::replace);
    } else {
        failure.detail = text_in(*error, "message");
    }
    failure.code = text_in(*error, "code");
    failure.request_id = text_in(*error, "request_id");
    return failure;
}

}  // namespace

void from_json(const Json& body, CostAnswer& answer) {
    answer.balance_cost = number_in(body, "balance_cost");
    answer.remaining_balance = number_in(body, "remaining_balance");
}

void from_json(const Json& body, JobAdmission& answer) {
    answer.task_id = text_in(body, "task_id");
    answer.status = text_in(body, "status");
    answer.balance_cost = number_in(body, "balance_cost");
    answer.has_images = is_array_in(body, "base64_images") || is_array_in(body, "output_urls");
}

void from_json(const Json& body, JobStatusAnswer& answer) {
    answer.status = text_in(body, "status").value_or("");
    const Json* result = member_in(body, "result");
    answer.result = result ? result->get<GeneratedImages>() : GeneratedImages{};
    answer.error = failure_in(body);
}

void from_json(const Json& body, BalanceAnswer& answer) {
    answer.balance = number_in(body, "balance");
    answer.credits = number_in(body, "credits");
}

Json number_json(double value) {
    constexpr double kWholeLimit = 9007199254740992.0;  // 2^53: every whole double below is exact
    if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) <= kWholeLimit) {
        return static_cast<long long>(value);
    }
    return value;
}

}  // namespace rdmcp::tools
