#pragma once
// run_edit_tool's and estimate_edit_tool_cost's request as a value: the arguments read by type,
// the images resolved, and every rule the documents state checked against the tool's catalog
// entry, before anything is sent (and so before anything is paid).
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/edit_tool_catalog.h"
#include "tools/image_input.h"
#include "tools/tools_config.h"

namespace rdmcp::tools {

struct EditToolRequest {
    std::string tool_id;
    protocol::Json body = protocol::Json::object();    // every field but the images
    protocol::Json images = protocol::Json::object();  // the image fields, sent apart (no copy)
    ImageInfo input;                                   // input_image's header
    std::optional<std::string> custom_id;              // the caller's, when given
    bool upload_outputs = false;        // hand hosted results on as links (never sent to the API)
    std::string output_dir;             // stdio: also save the result here
    std::vector<std::string> warnings;  // worth saying, not worth refusing
};

// The tool_id argument alone, read first: it picks the catalog entry the rest is checked against.
// Empty, with `problem` set, when it is missing or not a name.
std::string read_edit_tool_id(const protocol::Json& arguments, std::string& problem);

// Either the request, or a message naming the argument and what to send instead.
std::variant<EditToolRequest, std::string> build_edit_tool_request(const protocol::Json& arguments,
                                                                   const EditToolDefinition& tool,
                                                                   const ImageInputPolicy& policy);

// The inputSchema both tools share: tool_id, input_image and every documented field; fields
// this server does not know yet pass through to the API.
protocol::Json edit_tool_input_schema(const ToolsConfig& config);

// "inpainting requires mask_image and prompt; takes seed, soft_inpaint": one line per tool.
std::string describe_fields(const EditToolDefinition& tool);

}  // namespace rdmcp::tools
