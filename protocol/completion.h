#pragma once
// completion/complete: what a prompt argument or a resource template variable may be. A
// Completer lists every value the caller could mean (the style catalog, the caller's recent
// jobs); the engine ranks them against what was typed, so every completion behaves alike.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json_rpc.h"
#include "protocol/request_context.h"

namespace rdmcp::protocol {

// Every value the argument may take for this caller, in the order to show them.
using Completer = std::function<std::vector<std::string>(RequestContext& context)>;

inline constexpr std::size_t kMaxCompletionValues = 100;  // the spec's cap per response

// The `completion` object of a CompleteResult: the candidates that match `typed`, best first
// (the whole value equal, then starting with it, then a word in it starting with it (after
// '_', '-', ' ' or '.'), then containing it; case-insensitive; each group in the candidates'
// order), at most kMaxCompletionValues, with `total` and `hasMore`.
Json rank_completions(const std::vector<std::string>& candidates, std::string_view typed);

}  // namespace rdmcp::protocol
