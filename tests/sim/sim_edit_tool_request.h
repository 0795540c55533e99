#pragma once
// What a run, an estimate and a task of an edit tool all validate, in the API's order: the
// tool, the body's schema (422), then the tool's rules and images (400, 413).
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "sim_edit_tools.h"
#include "sim_http.h"

namespace rdsim {

struct EditToolRequest {
    const EditTool* tool = nullptr;
    nlohmann::json body;
    std::string prompt;  // "" when the tool takes none or none was sent
    int out_width = 0;
    int out_height = 0;
    int frames = 1;  // of the input (and so of the output): more than one for an animated GIF
};

// An answer in v1's shapes (public_route rewrites it on /v2/): {"detail": {"code","message"}}
// with `status`, or 422 {"detail": [issues]} when `issues` is set.
struct EditToolError {
    int status = 400;
    std::string code;
    std::string message;
    nlohmann::json issues = nullptr;
};

std::variant<EditToolRequest, EditToolError> check_edit_tool_request(const std::string& tool_id,
                                                                     const nlohmann::json& body);

void send_edit_tool_error(httplib::Response& res, const EditToolError& error);

}  // namespace rdsim
