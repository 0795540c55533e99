#pragma once
// Progress notifications while a request waits, for clients that sent a progressToken: many
// reset their timeout on each one, so a slow animation is not given up on after 60 s. Nothing
// is sent to a request without a token.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "protocol/request_context.h"

namespace rdmcp::protocol {

class ProgressHeartbeat final : public ProgressScope {
  public:
    // Sends one notification now and then one every `interval` until destroyed, each with a
    // larger `progress` (seconds waited) and `message` followed by the time waited.
    ProgressHeartbeat(const RequestContext& context, std::string message,
                      std::chrono::milliseconds interval = std::chrono::seconds(5));
    ~ProgressHeartbeat() override;
    ProgressHeartbeat(const ProgressHeartbeat&) = delete;
    ProgressHeartbeat& operator=(const ProgressHeartbeat&) = delete;

  private:
    void beat(std::chrono::steady_clock::duration waited, int count);

    const RequestContext& context_;
    const std::string message_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;
    std::thread thread_;
};

// One progress notification, if the request asked for progress and is still live.
void send_progress(const RequestContext& context, double progress, std::string message,
                   std::optional<double> total = std::nullopt);

}  // namespace rdmcp::protocol
