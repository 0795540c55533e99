#include "protocol/outcome.h"

namespace rdmcp::protocol {

EncodedJson EncodedJson::of(const Json& result) {
    return {std::make_shared<const std::string>(encode_value(result))};
}

std::string encode_outcome(const RequestId& id, const Outcome& outcome) {
    if (const auto* error = std::get_if<RpcError>(&outcome)) return encode_error(id, *error);
    if (const auto* encoded = std::get_if<EncodedJson>(&outcome)) {
        return encode_result_text(id, *encoded->text);
    }
    return encode_result(id, std::get<Json>(outcome));
}

std::optional<Json> result_json(const Outcome& outcome) {
    if (const auto* encoded = std::get_if<EncodedJson>(&outcome)) {
        return Json::parse(*encoded->text);
    }
    if (const auto* result = std::get_if<Json>(&outcome)) return *result;
    return std::nullopt;
}

bool is_tool_error(const Outcome& outcome) {
    const auto* result = std::get_if<Json>(&outcome);
    if (!result) return false;  // an error is no tool result; an encoded result never fails
    const auto is_error = result->find("isError");
    return is_error != result->end() && *is_error == true;
}

}  // namespace rdmcp::protocol
