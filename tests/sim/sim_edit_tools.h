#pragma once
// The canvas edit tools of the newer document: their table and per-tool request rules.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim_http.h"
#include "sim_image_probe.h"

namespace rdsim {

struct EditTool {
    std::string id;
    std::string description;
    double cost_usd = 0;
    std::vector<FieldSpec> fields;  // besides input_image, which every tool requires
    nlohmann::json defaults = nlohmann::json::object();
    int max_size = 0;  // largest width/height of input_image; 0: no documented limit
    double estimated_seconds = 1;
};

const std::vector<EditTool>& edit_tools();
const EditTool* find_edit_tool(const std::string& id);

// GET /v1/edit/tools entry.
nlohmann::json edit_tool_json(const EditTool& tool);

// Output size for a valid request, or the message for a 400.
struct ToolCheck {
    std::optional<std::string> error;
    int out_width = 0;
    int out_height = 0;
};
ToolCheck check_edit_tool_request(const EditTool& tool, const nlohmann::json& body,
                                  const ImageInfo& input);

}  // namespace rdsim
