#pragma once
// Checks tool arguments against the tool's inputSchema before its handler runs, so every tool
// rejects wrong types and ranges the same way, with a message that names the field and says
// what is allowed. Supports the subset of JSON Schema our schemas use: type (one or a list),
// properties, required, additionalProperties (false), enum, const, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength, items, minItems, maxItems.
#include <string>
#include <vector>

#include "protocol/json_rpc.h"

namespace rdmcp::protocol {

struct SchemaViolation {
    std::string path;     // "width", "reference_images[2]"; empty for the arguments object
    std::string message;  // "must be an integer between 16 and 512, got 1000"
};

std::vector<SchemaViolation> validate_against_schema(const Json& value, const Json& schema);

// "argument 'width' must be ...; argument 'prompt' is required" — for a tool error.
std::string describe_violations(const std::vector<SchemaViolation>& violations);

}  // namespace rdmcp::protocol
