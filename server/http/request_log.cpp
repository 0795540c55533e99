#include "server/http/request_log.h"

#include <cctype>

namespace rdmcp::server {

namespace {
constexpr std::size_t kMaxRequestIdLength = 64;

bool plausible_request_id(std::string_view id) {
    if (id.empty() || id.size() > kMaxRequestIdLength) return false;
    for (unsigned char c : id) {
        if (!std::isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':') return false;
    }
    return true;
}
}  // namespace

std::string log_id_for(std::optional<std::string_view> given,
                       std::atomic<unsigned long long>& counter) {
    if (given && plausible_request_id(*given)) return std::string(*given);
    return "http-" + std::to_string(counter.fetch_add(1) + 1);
}

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
