#pragma once
// JSON-RPC 2.0 as MCP uses it: one message per frame, objects only (no batches), ids that are
// strings or integers and are echoed back exactly as received.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rdmcp::protocol {

using Json = nlohmann::json;

namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// MCP 2026-07-28 allocations.
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kMissingRequiredClientCapability = -32021;
inline constexpr int kUnsupportedProtocolVersion = -32022;
}  // namespace error_code

struct RpcError {
    int code;
    std::string message;
    std::optional<Json> data;

    Json to_json() const;
};

// -32602 Invalid params: what in the request's params cannot be used, and how to fix it.
RpcError invalid_params(std::string message, std::optional<Json> data = std::nullopt);

// A request id: a string or an integer, kept as parsed so it is echoed byte for byte.
using RequestId = Json;

struct Request {
    RequestId id;
    std::string method;
    Json params;  // always an object (empty when the message had none)
};

struct Notification {
    std::string method;
    Json params;  // always an object
};

// A response the client sent to one of our requests (elicitation/create, see
// protocol/client_requests.h): exactly one of `result` and `error`. `id` is null when the
// client could not read our request's id; nobody waits for such a response. Responses are
// never answered.
struct ClientResponse {
    Json id;
    std::optional<Json> result;
    std::optional<RpcError> error;
};

// A message we could not accept. `id` is the request's id when it could be read, else null;
// `answerable` is false for malformed notifications and responses, which must never be answered.
struct DecodeFailure {
    Json id;
    RpcError error;
    bool answerable = true;
};

using Decoded = std::variant<Request, Notification, ClientResponse, DecodeFailure>;

struct DecodeLimits {
    std::size_t max_depth = 64;  // nesting deeper than this is refused before it costs stack
};

// Parses one frame (a line on stdio, a POST body on HTTP).
Decoded decode(std::string_view frame, const DecodeLimits& limits = {});

// Serialisation of our outgoing messages, one line each without a trailing newline.
std::string encode_result(const RequestId& id, const Json& result);
// The same around a result already serialised by encode_value: its text goes in as it is.
std::string encode_result_text(const RequestId& id, std::string_view result_text);
std::string encode_error(const RequestId& id, const RpcError& error);
std::string encode_notification(std::string_view method, const Json& params);
std::string encode_request(const RequestId& id, std::string_view method, const Json& params);

// One JSON value as every message above writes it: compact, invalid UTF-8 replaced.
std::string encode_value(const Json& value);

// How deep the JSON text nests, counted without parsing; stops counting past `limit`.
std::size_t nesting_depth(std::string_view text, std::size_t limit);

}  // namespace rdmcp::protocol
