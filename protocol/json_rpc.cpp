#include "protocol/json_rpc.h"

namespace rdmcp::protocol {

Json RpcError::to_json() const {
    Json error = {{"code", code}, {"message", message}};
    if (data) error["data"] = *data;
    return error;
}

RpcError invalid_params(std::string message, std::optional<Json> data) {
    return {error_code::kInvalidParams, std::move(message), std::move(data)};
}

namespace {

bool is_valid_id(const Json& id) { return id.is_string() || id.is_number_integer(); }

DecodeFailure invalid_request(Json id, std::string message, bool answerable = true) {
    return DecodeFailure{
        std::move(id), {error_code::kInvalidRequest, std::move(message), {}}, answerable};
}

// A readable id is echoed even in an error; anything else becomes null as JSON-RPC requires.
Json id_for_error(const Json& message) {
    auto it = message.find("id");
    if (it != message.end() && is_valid_id(*it)) return *it;
    return nullptr;
}

// A response: "jsonrpc": "2.0", an id (null only in an error), and exactly one of `result` and
// `error` (an object with an integer code and a string message). Anything else is a malformed
// response, refused without an answer.
Decoded decode_response(Json message) {
    auto malformed = [](std::string reason) {
        return invalid_request(nullptr, "malformed response: " + std::move(reason), false);
    };
    auto version = message.find("jsonrpc");
    if (version == message.end() || *version != "2.0") {
        return malformed("\"jsonrpc\" must be the string \"2.0\"");
    }
    const auto result = message.find("result");
    const auto error = message.find("error");
    if ((result != message.end()) == (error != message.end())) {
        return malformed("it must carry exactly one of \"result\" and \"error\"");
    }
    auto id = message.find("id");
    if (id == message.end() || !(is_valid_id(*id) || (id->is_null() && error != message.end()))) {
        return malformed("\"id\" must be the string or integer of the request it answers");
    }
    ClientResponse response{std::move(*id), std::nullopt, std::nullopt};
    if (result != message.end()) {
        response.result = std::move(*result);
        return response;
    }
    const auto code = error->is_object() ? error->find("code") : error->end();
    const auto text = error->is_object() ? error->find("message") : error->end();
    if (!error->is_object() || code == error->end() || !code->is_number_integer() ||
        text == error->end() || !text->is_string()) {
        return malformed("\"error\" must be an object with an integer code and a string message");
    }
    std::optional<Json> data;
    if (auto it = error->find("data"); it != error->end()) data = std::move(*it);
    response.error = RpcError{code->get<int>(), text->get<std::string>(), std::move(data)};
    return response;
}

Decoded decode_object(Json message) {
    const bool has_id = message.contains("id");
    const bool has_method = message.contains("method");

    if (!has_method && (message.contains("result") || message.contains("error"))) {
        return decode_response(std::move(message));
    }
    auto version = message.find("jsonrpc");
    if (version == message.end() || *version != "2.0") {
        return invalid_request(id_for_error(message), "\"jsonrpc\" must be the string \"2.0\"",
                               has_id);
    }
    if (!has_method || !message["method"].is_string()) {
        return invalid_request(id_for_error(message), "\"method\" must be a string", has_id);
    }
    if (has_id && !is_valid_id(message["id"])) {
        return invalid_request(nullptr, "\"id\" must be a string or an integer (not null)");
    }

    Json params = Json::object();
    if (auto it = message.find("params"); it != message.end()) {
        if (!it->is_object()) {
            if (!has_id) return invalid_request(nullptr, "", false);
            return DecodeFailure{message["id"],
                                 {error_code::kInvalidParams, "\"params\" must be an object", {}}};
        }
        params = std::move(*it);
    }

    std::string method = message["method"].get<std::string>();
    if (!has_id) return Notification{std::move(method), std::move(params)};
    return Request{std::move(message["id"]), std::move(method), std::move(params)};
}

}  // namespace

std::size_t nesting_depth(std::string_view text, std::size_t limit) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) return deepest;
        } else if ((c == '}' || c == ']') && depth > 0)
            --depth;
    }
    return deepest;
}

Decoded decode(std::string_view frame, const DecodeLimits& limits) {
    if (nesting_depth(frame, limits.max_depth) > limits.max_depth) {
        return DecodeFailure{
            nullptr,
            {error_code::kInvalidRequest,
             "message nests deeper than " + std::to_string(limits.max_depth) + " levels",
             {}}};
    }
    Json message = Json::parse(frame, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded()) {
        return DecodeFailure{
            nullptr, {error_code::kParseError, "Parse error: the message is not valid JSON", {}}};
    }
    if (message.is_array()) {
        return invalid_request(nullptr,
                               "batches are not supported: send one JSON-RPC message per "
                               "frame");
    }
    if (!message.is_object()) {
        return invalid_request(nullptr, "a JSON-RPC message must be a JSON object");
    }
    return decode_object(std::move(message));
}

// Invalid UTF-8 in text we echo (a tool name, a prompt) must not make dump() throw.
std::string encode_value(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string encode_result(const RequestId& id, const Json& result) {
    return encode_result_text(id, encode_value(result));
}

// Written around the serialised result rather than by copying the result into an envelope
// object first: a result can hold megabytes of images, and tools/list a large tree. The keys
// come in the order nlohmann's sorted objects give them, so the bytes are the same as before.
std::string encode_result_text(const RequestId& id, std::string_view result_text) {
    const std::string id_text = encode_value(id);
    std::string message;
    message.reserve(result_text.size() + id_text.size() + 40);
    message.append(R"({"id":)").append(id_text).append(R"(,"jsonrpc":"2.0","result":)");
    message.append(result_text).append("}");
    return message;
}

std::string encode_error(const RequestId& id, const RpcError& error) {
    return encode_value(Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", error.to_json()}});
}

std::string encode_notification(std::string_view method, const Json& params) {
    return encode_value(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

std::string encode_request(const RequestId& id, std::string_view method, const Json& params) {
    return encode_value(
        Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

}  // namespace rdmcp::protocol
