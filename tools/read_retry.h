#pragma once
// Whether a failed read (an idempotent GET) is worth sending once more, decided by the API's
// catalog of codes (tools/error_catalog.h). Never used for POSTs: a paid POST sent twice could
// be charged twice.
#include <chrono>
#include <optional>

#include "protocol/cancellation.h"
#include "tools/upstream_error.h"

namespace rdmcp::tools {

// A Retry-After longer than this is the agent's to wait out (its tool error says how long),
// not a tool call's: the call would look hung.
inline constexpr std::chrono::seconds kMaxReadRetryWait{5};

// How long to wait before sending the same GET again, or nothing when it should not be sent
// again: yes (at once) after a transport error or a timeout; yes for a code the catalog calls
// retryable, no for one it does not; for a code it does not know, yes on 502/503/504. A 429
// only with a Retry-After, which is always honoured and must not exceed kMaxReadRetryWait.
std::optional<std::chrono::seconds> read_retry_wait(const UpstreamError& error);

// Waits `wait` before a retry, woken early by a cancellation; false when `cancellation` (null:
// nothing cancels) was cancelled meanwhile or before.
bool wait_unless_cancelled(std::chrono::milliseconds wait,
                           protocol::CancellationToken* cancellation);

}  // namespace rdmcp::tools
