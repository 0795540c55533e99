#pragma once
// Reading the API's answers by type. The API is a FastAPI service: an unset optional field comes
// as null, an older or newer version may omit it or send another type. A member that is missing,
// null or of another type reads as absent, so it is left out of what we return rather than
// passed on as null or guessed.
#include <optional>
#include <string>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

// The member `name` of `body` as it came (any type, null included), or null when `body` is not
// an object or has no such member.
const protocol::Json* member_in(const protocol::Json& body, const char* name);

std::optional<std::string> text_in(const protocol::Json& body, const char* name);
std::optional<double> number_in(const protocol::Json& body, const char* name);
std::optional<bool> flag_in(const protocol::Json& body, const char* name);

// A time the API sent as Unix seconds (the older document) or an ISO 8601 string (the newer
// one), always as an ISO 8601 string, so one schema type describes it.
std::optional<std::string> timestamp_in(const protocol::Json& body, const char* name);

}  // namespace rdmcp::tools
