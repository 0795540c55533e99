#pragma once
// The requests a transport is still working on, so notifications/cancelled (or a closed stream)
// can reach the right one. Keyed by the JSON-RPC id as the client sent it.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "protocol/cancellation.h"
#include "protocol/json_rpc.h"

namespace rdmcp::protocol {

class InFlightRequests {
  public:
    // False when a request with the same id is still in flight (the client reused an id).
    bool add(const RequestId& id, std::shared_ptr<CancellationToken> token) {
        std::lock_guard lock(mutex_);
        return tokens_.emplace(key(id), std::move(token)).second;
    }
    void remove(const RequestId& id) {
        std::lock_guard lock(mutex_);
        tokens_.erase(key(id));
    }
    bool cancel(const RequestId& id, std::string reason) {
        std::shared_ptr<CancellationToken> token;
        {
            std::lock_guard lock(mutex_);
            auto it = tokens_.find(key(id));
            if (it == tokens_.end()) return false;
            token = it->second;
        }
        token->cancel(std::move(reason));
        return true;
    }
    void cancel_all(const std::string& reason) {
        std::map<std::string, std::shared_ptr<CancellationToken>> tokens;
        {
            std::lock_guard lock(mutex_);
            tokens = tokens_;
        }
        for (auto& [id, token] : tokens) token->cancel(reason);
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return tokens_.size();
    }

  private:
    // "1" and 1 are different ids: the JSON text keeps them apart.
    static std::string key(const RequestId& id) { return id.dump(); }

    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<CancellationToken>> tokens_;
};

}  // namespace rdmcp::protocol
