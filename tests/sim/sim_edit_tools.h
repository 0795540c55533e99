#pragma once
// The canvas edit tools (retrodiffusion-edit-tools.md, llms.txt "Canvas edit tools",
// v2 reference section 5): the table of the 11 tools and their GET /edit/tools entries.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim_http.h"

namespace rdsim {

// One EditToolField of a tool's api_fields. `type` is the catalog's type string (the
// documents name none: the sim uses "image", "text", "integer", "number", "boolean", "select");
// `json_type` is what the request body must carry for it.
struct EditField {
    std::string id;
    std::string label;
    std::string type;
    FieldType json_type = FieldType::String;
    bool required = false;
    nlohmann::json default_value = nullptr;  // null: no default
    std::optional<int> min, max;
    std::string placeholder;
};

struct EditTool {
    std::string id;
    std::string name;
    std::string description;
    double balance_cost = 0;  // USD
    int credit_cost = 0;      // legacy credits
    bool requires_minimum_balance = false;
    int max_input_size = 0;       // largest side of input_image in px
    bool animated_input = false;  // accepts an animated GIF
    bool hosted_output = false;   // the image comes only in output_urls
    int estimate_seconds = 1;
    std::vector<EditField> fields;  // besides input_image and custom_id
};

const std::vector<EditTool>& edit_tools();
const EditTool* find_edit_tool(const std::string& id);

// ExternalEditToolDefinition, as GET /edit/tools lists it.
nlohmann::json edit_tool_json(const EditTool& tool);

// Every property of ExternalEditToolRunInput (one schema for all tools, additionalProperties
// false) with its JSON type: a field of another tool is known (and ignored), any other is not.
const std::vector<FieldSpec>& edit_run_input_schema();

inline constexpr int kCustomIdMaxLength = 128;
inline constexpr int kMaxAnimatedFrames = 64;  // the sim's bound on an animated input
inline constexpr const char* kDitherModes[] = {"none", "bayer_2x2", "bayer_4x4", "bayer_8x8"};

}  // namespace rdsim
