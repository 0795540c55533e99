#pragma once
// What a legacy (2025-11-25 and earlier) client's `initialize` may leave behind. Its state lives
// as long as the session (30 minutes idle by default, up to --max-sessions of them over HTTP), so
// it is bounded before it is stored, the same way over every transport:
//  - params larger than kMaxInitializeParamsBytes of JSON are refused with -32602, naming the
//    size and the limit, never the client's content;
//  - of clientInfo only name, title and version are kept (strings); capabilities are kept as
//    given (the limit bounds them).
#include <cstddef>
#include <variant>

#include "protocol/json_rpc.h"
#include "protocol/session.h"

namespace rdmcp::protocol {

// 16 KiB: real clients send well under 2 KiB (a name, a version and a few capability flags); at
// 10,000 sessions this keeps the store's handshakes under about 160 MiB in the worst case
// instead of whatever the body limit lets through (two 4 MB strings held 8 MB per session).
inline constexpr std::size_t kMaxInitializeParamsBytes = 16 * 1024;

// The length of value.dump() (compact, UTF-8 as is), counted without building the string.
std::size_t serialized_size(const Json& value);

// The state a well-formed initialize establishes, or the -32602 error that refuses it.
std::variant<LegacySession::State, RpcError> read_handshake(const Json& params);

}  // namespace rdmcp::protocol
