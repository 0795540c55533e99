#pragma once
// What a request produced, as the dispatcher hands it to a transport: a result object, a result
// already encoded as JSON text, or a JSON-RPC error.
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "protocol/json_rpc.h"

namespace rdmcp::protocol {

// A result's JSON text, encoded once and shared by every answer that carries it (tools/list:
// the same for every caller of a protocol generation). Transports splice it into the response
// as it is, never parsing it or building a Json tree on the way out. Only answers that cannot
// fail are encoded ahead: never an error, never a tool result with isError.
struct EncodedJson {
    std::shared_ptr<const std::string> text;

    // The text as encode_result would write `result` into a response.
    static EncodedJson of(const Json& result);
};

using Outcome = std::variant<Json, RpcError, EncodedJson>;

// The response to request `id` (one line without a trailing newline); an encoded result's
// bytes are the same as its Json form's would be.
std::string encode_outcome(const RequestId& id, const Outcome& outcome);

// The result as a Json value (an encoded one parsed back), for tests and in-process callers;
// nothing for an error. Transports never need it.
std::optional<Json> result_json(const Outcome& outcome);

// A tool result that reports a failure (isError: true), for logs and metrics.
bool is_tool_error(const Outcome& outcome);

}  // namespace rdmcp::protocol
