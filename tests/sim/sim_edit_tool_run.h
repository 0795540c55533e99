#pragma once
// What the sync run and the task of an edit tool share: reading the request, the money rules
// and the ExternalEditToolRunOutput body.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "sim_edit_tool_request.h"
#include "sim_routes.h"

namespace rdsim {

// A prompt containing kFailWord (sim_inference_run.h) fails an edit too: 500 edit_tool_failed
// for a run, a failed task, refunded either way.

// The request of POST /edit/tools/{tool_id}[/estimate|/tasks] (tool id from the path), or the
// error already sent.
std::optional<EditToolRequest> read_edit_tool_request(const httplib::Request& req,
                                                      httplib::Response& res);

Micros edit_tool_cost(const EditTool& tool);

// A free tool marked requires_minimum_balance refuses a key with no money at all (the
// documents give no amount: the sim asks for more than 0).
bool below_minimum_balance(Ctx& ctx, const Call& call, const EditTool& tool);

// Renders the output (an animated input gives an animated GIF), keeps it 24 h and builds
// ExternalEditToolRunOutput. `hosted`: the image only in output_urls (base64_images empty),
// else only inline.
nlohmann::json edit_tool_run_output(Ctx& ctx, const Call& call, const EditToolRequest& req,
                                    Micros cost, Micros remaining, bool hosted);

}  // namespace rdsim
