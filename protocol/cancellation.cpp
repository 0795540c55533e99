#include "protocol/cancellation.h"

namespace rdmcp::protocol {

void CancellationToken::cancel(std::string reason) {
    // Hooks run under the lock so that, once unregister() returns, its hook is not running and
    // never will: a hook may touch objects that die right after their scope ends.
    std::lock_guard lock(mutex_);
    if (cancelled_.load()) return;
    reason_ = std::move(reason);
    cancelled_.store(true, std::memory_order_release);
    for (auto& [id, hook] : hooks_) hook();
}

std::string CancellationToken::reason() const {
    std::lock_guard lock(mutex_);
    return reason_;
}

int CancellationToken::on_cancel(Hook hook) {
    {
        std::lock_guard lock(mutex_);
        if (!cancelled_.load()) {
            int id = next_hook_id_++;
            hooks_.emplace(id, std::move(hook));
            return id;
        }
    }
    hook();
    return -1;
}

void CancellationToken::unregister(int hook_id) {
    std::lock_guard lock(mutex_);
    hooks_.erase(hook_id);
}

}  // namespace rdmcp::protocol
