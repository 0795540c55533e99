#pragma once
// The async jobs this process started, per caller, so an agent that lost a job id can find it
// again instead of paying twice by resubmitting. Callers are known only by a hash of their key.
// Bounded: old jobs expire and each caller keeps the most recent ones.
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace rdmcp::tools {

struct LedgerEntry {
    std::string job_id;  // the signed id handed to the agent
    std::string upstream_task_id;
    std::string prompt_style;
    std::string prompt;  // shortened, to recognise the job
    long long created_at_ms = 0;
    std::string last_status;  // as last seen: accepted, pending, running, succeeded, failed
};

class JobLedger {
  public:
    struct Limits {
        std::size_t jobs_per_caller = 100;
        std::size_t callers = 10000;
        std::chrono::hours retention{24};
    };

    JobLedger() : JobLedger(Limits{}) {}
    explicit JobLedger(Limits limits) : limits_(limits) {}

    void record(const std::string& api_key, LedgerEntry entry);
    void update_status(const std::string& api_key, const std::string& job_id,
                       const std::string& status);
    // Newest first.
    std::vector<LedgerEntry> jobs_of(const std::string& api_key);

  private:
    void expire_locked(long long now_ms);

    const Limits limits_;
    std::mutex mutex_;
    std::map<std::string, std::deque<LedgerEntry>> by_caller_;  // key hash -> oldest first
};

// SHA-256 of an API key, hex: how the server tells callers apart without keeping their keys.
std::string key_fingerprint(const std::string& api_key);

}  // namespace rdmcp::tools
