#pragma once
// A cancellation flag shared between a request's worker and whoever may cancel it (a
// notifications/cancelled, a closed HTTP stream, shutdown). Work that blocks (an upstream HTTP
// call) registers a hook that interrupts it; the hook runs at once if already cancelled.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace rdmcp::protocol {

class CancellationToken {
  public:
    using Hook = std::function<void()>;

    void cancel(std::string reason = "cancelled by the client");
    bool is_cancelled() const { return cancelled_.load(std::memory_order_acquire); }
    std::string reason() const;

    // Returns an id for unregister(); the hook runs on the cancelling thread, so it must be
    // quick and must not call back into this token.
    int on_cancel(Hook hook);
    void unregister(int hook_id);

  private:
    std::atomic<bool> cancelled_{false};
    mutable std::mutex mutex_;
    std::string reason_;
    std::map<int, Hook> hooks_;
    int next_hook_id_ = 0;
};

// Registers a hook for the lifetime of a scope (RAII), so an interrupted call never leaves a
// dangling hook behind.
class CancellationHook {
  public:
    CancellationHook(CancellationToken& token, CancellationToken::Hook hook)
        : token_(token), id_(token.on_cancel(std::move(hook))) {}
    ~CancellationHook() { token_.unregister(id_); }
    CancellationHook(const CancellationHook&) = delete;
    CancellationHook& operator=(const CancellationHook&) = delete;

  private:
    CancellationToken& token_;
    int id_;
};

}  // namespace rdmcp::protocol
