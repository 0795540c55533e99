#include "tools/read_retry.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "tools/error_catalog.h"

namespace rdmcp::tools {

namespace {

bool retryable_http(const UpstreamError& error) {
    if (auto entry = catalog_entry(error.code)) return entry->retryable;
    // A code this catalog does not know (an older or newer API): the status's usual meaning.
    const int status = error.status;
    return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

std::optional<std::chrono::seconds> read_retry_wait(const UpstreamError& error) {
    switch (error.kind) {
        case UpstreamError::Kind::Connect:
        case UpstreamError::Kind::Timeout:
            return std::chrono::seconds(0);
        case UpstreamError::Kind::MissingKey:
        case UpstreamError::Kind::Cancelled:
        case UpstreamError::Kind::InvalidResponse:
            return std::nullopt;
        case UpstreamError::Kind::Http:
            break;
    }
    if (!retryable_http(error)) return std::nullopt;
    // Rate limited with no word on how long: sent again at once, it would only be refused again.
    if (error.status == 429 && !error.retry_after) return std::nullopt;
    if (!error.retry_after) return std::chrono::seconds(0);
    if (*error.retry_after > kMaxReadRetryWait.count()) return std::nullopt;
    return std::chrono::seconds(*error.retry_after);
}

bool wait_unless_cancelled(std::chrono::milliseconds wait,
                           protocol::CancellationToken* cancellation) {
    if (!cancellation) {
        std::this_thread::sleep_for(wait);
        return true;
    }
    if (wait.count() == 0) return !cancellation->is_cancelled();
    std::mutex mutex;
    std::condition_variable woken;
    bool cancelled = false;
    // Runs at once if already cancelled, else on the cancelling thread.
    protocol::CancellationHook hook(*cancellation, [&] {
        std::lock_guard lock(mutex);
        cancelled = true;
        woken.notify_all();
    });
    std::unique_lock lock(mutex);
    woken.wait_for(lock, wait, [&] { return cancelled; });
    return !cancelled;
}

}  // namespace rdmcp::tools
