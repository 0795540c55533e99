#include "protocol/progress.h"

namespace rdmcp::protocol {

void send_progress(const RequestContext& context, double progress, std::string message,
                   std::optional<double> total) {
    if (!context.progress_token || !context.notify || context.is_cancelled()) return;
    Json params = {{"progressToken", *context.progress_token},
                   {"progress", progress},
                   {"message", std::move(message)}};
    if (total) params["total"] = *total;
    context.notify("notifications/progress", params);
}

ProgressHeartbeat::ProgressHeartbeat(const RequestContext& context, std::string message,
                                     std::chrono::milliseconds interval)
    : context_(context), message_(std::move(message)) {
    if (!context_.progress_token || !context_.notify) return;  // nobody asked: no thread either
    thread_ = std::thread([this, interval] {
        const auto started = std::chrono::steady_clock::now();
        std::unique_lock lock(mutex_);
        for (int count = 1;; ++count) {
            beat(std::chrono::steady_clock::now() - started, count);
            if (stop_.wait_for(lock, interval, [this] { return stopping_; })) return;
        }
    });
}

ProgressHeartbeat::~ProgressHeartbeat() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ProgressHeartbeat::beat(std::chrono::steady_clock::duration waited, int count) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(waited).count();
    // `progress` must grow with every notification even if two land in the same second.
    send_progress(context_, static_cast<double>(count),
                  message_ + " (" + std::to_string(seconds) + " s)");
}

std::unique_ptr<ProgressScope> RequestContext::report_progress_while(
    std::string message, std::chrono::milliseconds interval) const {
    return std::make_unique<ProgressHeartbeat>(*this, std::move(message), interval);
}

}  // namespace rdmcp::protocol
