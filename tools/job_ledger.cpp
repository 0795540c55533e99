#include "tools/job_ledger.h"

#include <openssl/sha.h>

#include <algorithm>

namespace rdmcp::tools {

namespace {
long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

std::string key_fingerprint(const std::string& api_key) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(api_key.data()), api_key.size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : digest) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0xf];
    }
    return hex;
}

void JobLedger::record(const std::string& api_key, LedgerEntry entry) {
    const auto caller = key_fingerprint(api_key);
    std::lock_guard lock(mutex_);
    expire_locked(now_ms());
    if (!by_caller_.count(caller) && by_caller_.size() >= limits_.callers) {
        // Drop the caller whose newest job is the oldest.
        auto stalest = std::min_element(by_caller_.begin(), by_caller_.end(), [](auto& a, auto& b) {
            return a.second.back().created_at_ms < b.second.back().created_at_ms;
        });
        by_caller_.erase(stalest);
    }
    auto& jobs = by_caller_[caller];
    jobs.push_back(std::move(entry));
    while (jobs.size() > limits_.jobs_per_caller) jobs.pop_front();
}

void JobLedger::update_status(const std::string& api_key, const std::string& job_id,
                              const std::string& status) {
    const auto caller = key_fingerprint(api_key);
    std::lock_guard lock(mutex_);
    auto it = by_caller_.find(caller);
    if (it == by_caller_.end()) return;
    for (auto& job : it->second) {
        if (job.job_id == job_id) job.last_status = status;
    }
}

std::vector<LedgerEntry> JobLedger::jobs_of(const std::string& api_key) {
    const auto caller = key_fingerprint(api_key);
    std::lock_guard lock(mutex_);
    expire_locked(now_ms());
    auto it = by_caller_.find(caller);
    if (it == by_caller_.end()) return {};
    return {it->second.rbegin(), it->second.rend()};
}

void JobLedger::expire_locked(long long now) {
    const long long cutoff =
        now - std::chrono::duration_cast<std::chrono::milliseconds>(limits_.retention).count();
    for (auto it = by_caller_.begin(); it != by_caller_.end();) {
        auto& jobs = it->second;
        std::erase_if(jobs,
                      [cutoff](const LedgerEntry& job) { return job.created_at_ms < cutoff; });
        it = jobs.empty() ? by_caller_.erase(it) : std::next(it);
    }
}

}  // namespace rdmcp::tools
