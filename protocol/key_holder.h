#pragma once
// A key set with the `authenticate` tool, for clients that can neither send an Authorization
// header nor set RD_API_KEY. The transport owns one per caller that lives longer than a request
// (the stdio process; a 2025-era HTTP session) and lends it to that caller's requests through
// RequestContext; 2026-07-28 and stateless HTTP requests get none, as nothing outlives them.
// The key stays in memory only; nothing here logs or prints it.
#include <mutex>
#include <string>

namespace rdmcp::protocol {

// Where the key a request carries came from, so authenticate and logout can tell the caller
// what they may change: a key from the environment or a header is not theirs to replace.
enum class KeySource {
    None,           // no key at all
    Environment,    // RD_API_KEY, given when the stdio server was launched
    Header,         // Authorization: Bearer on this HTTP request
    Authenticated,  // set earlier by the authenticate tool (this KeyHolder)
};

class KeyHolder {
  public:
    enum class Scope { Process, Session };

    explicit KeyHolder(Scope scope) : scope_(scope) {}
    KeyHolder(const KeyHolder&) = delete;
    KeyHolder& operator=(const KeyHolder&) = delete;

    Scope scope() const { return scope_; }

    // The key, or empty when none is held. A request copies it when it arrives, so a logout
    // while it runs does not pull the key from under an upstream call already on its way.
    std::string key() const {
        std::lock_guard lock(mutex_);
        return key_;
    }
    void set(std::string key) {
        std::lock_guard lock(mutex_);
        key_ = std::move(key);
    }
    // True when a key was held.
    bool clear() {
        std::lock_guard lock(mutex_);
        const bool held = !key_.empty();
        key_.clear();
        return held;
    }

  private:
    const Scope scope_;
    mutable std::mutex mutex_;
    std::string key_;
};

}  // namespace rdmcp::protocol
