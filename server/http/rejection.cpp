#include "server/http/rejection.h"

#include "server/http/replies.h"

namespace rdmcp::server {

namespace {
constexpr int kServerError = -32000;  // JSON-RPC's range for implementation-defined errors
}  // namespace

Rejection invalid_request(int status, std::string message, std::string reason) {
    return {
        status, {protocol::error_code::kInvalidRequest, std::move(message), {}}, std::move(reason)};
}

Rejection unavailable(std::string message, std::string reason, int seconds) {
    return {503, {kServerError, std::move(message), {}}, std::move(reason), seconds};
}

Rejection too_many_requests(std::string message, std::string reason, int seconds) {
    return {429, {kServerError, std::move(message), {}}, std::move(reason), seconds};
}

void reject(httplib::Response& response, RequestLog& log, const ExchangeRecord& record,
            const protocol::Json& id, const Rejection& rejection) {
    if (rejection.retry_after_seconds > 0) {
        response.set_header("Retry-After", std::to_string(rejection.retry_after_seconds));
    }
    reply_error(response, rejection.http_status, id, rejection.error);
    log.record(record, rejection.http_status, rejection.outcome,
               rejection.reason.empty() ? rejection.error.message : rejection.reason);
}

}  // namespace rdmcp::server
