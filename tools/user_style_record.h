#pragma once
// A user style as the API answers for it (POST/PATCH/DELETE /v1/styles), as we hand it to the
// agent: the fields we know, each of one type and left out when the API sends null or omits it
// (so a client validating structuredContent never meets a null); fields newer than this server
// passed on as they came, but for nulls.
#include <optional>
#include <string>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

struct UserStyleRecord {
    std::optional<std::string> id;
    std::optional<std::string> prompt_style;  // "user__...", for create_inference
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::string> type;
    std::optional<bool> deleted;
    std::optional<std::string> created_at;  // ISO 8601, whichever form the API used
    std::optional<std::string> updated_at;
    protocol::Json newer_fields = protocol::Json::object();
};

void from_json(const protocol::Json& body, UserStyleRecord& style);
void to_json(protocol::Json& json, const UserStyleRecord& style);

// The outputSchema of the user style tools: what to_json produces.
protocol::Json user_style_output_schema();

}  // namespace rdmcp::tools
