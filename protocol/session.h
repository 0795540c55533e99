#pragma once
// What a legacy (2025-11-25 and earlier) client establishes with `initialize`: the negotiated
// version and who it is. One per stdio process, one per HTTP session. Modern clients never
// touch it: their requests carry everything in _meta.
#include <mutex>
#include <optional>
#include <string>

#include "protocol/json_rpc.h"

namespace rdmcp::protocol {

class LegacySession {
  public:
    struct State {
        std::string version;
        Json client_info = Json::object();
        Json client_capabilities = Json::object();
    };

    void initialize(State state) {
        std::lock_guard lock(mutex_);
        state_ = std::move(state);
    }
    std::optional<State> state() const {
        std::lock_guard lock(mutex_);
        return state_;
    }

  private:
    mutable std::mutex mutex_;
    std::optional<State> state_;
};

}  // namespace rdmcp::protocol
