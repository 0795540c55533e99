#include "server/http/request_log.h"

namespace rdmcp::server {

void RequestLog::record(const ExchangeRecord& record, int http_status, std::string_view outcome,
                        std::string_view detail) {
    const auto elapsed = std::chrono::steady_clock::now() - record.started;
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    metrics_.record_request(record.method, outcome, elapsed);
    if (record.method == "tools/call") metrics_.record_tool_call(record.tool, outcome);
    logger_.info("request", {{"id", record.log_id},
                             {"method", record.method},
                             {"tool", record.tool},
                             {"era", record.era},
                             {"status", std::to_string(http_status)},
                             {"outcome", std::string(outcome)},
                             {"detail", std::string(detail)},
                             {"duration_us", std::to_string(micros)},
                             {"remote", record.remote}});
}

}  // namespace rdmcp::server
