#include "sim_edit_tool_run.h"

#include "sim_base64.h"
#include "sim_images.h"

namespace rdsim {

std::optional<EditToolRequest> read_edit_tool_request(const httplib::Request& req,
                                                      httplib::Response& res) {
    const std::string tool_id = req.matches[1].str();
    const auto body = read_json_object(req, res);
    if (!body) return std::nullopt;
    auto checked = check_edit_tool_request(tool_id, *body);
    if (auto* error = std::get_if<EditToolError>(&checked)) {
        send_edit_tool_error(res, *error);
        return std::nullopt;
    }
    return std::get<EditToolRequest>(std::move(checked));
}

Micros edit_tool_cost(const EditTool& tool) { return usd_to_micros(tool.balance_cost); }

bool below_minimum_balance(Ctx& ctx, const Call& call, const EditTool& tool) {
    return tool.requires_minimum_balance && ctx.state.balance(call.key).value_or(0) <= 0;
}

nlohmann::json edit_tool_run_output(Ctx& ctx, const Call& call, const EditToolRequest& req,
                                    Micros cost, Micros remaining, bool hosted) {
    const EditTool& tool = *req.tool;
    const auto seed_it = req.body.find("seed");
    const std::uint64_t seed = seed_it != req.body.end() && seed_it->is_number_integer()
                                   ? seed_it->get<std::uint64_t>()
                                   : ctx.state.random_u64();
    const bool gif = req.frames > 1;
    const std::string bytes =
        gif ? render_gif(req.out_width, req.out_height, seed, req.frames)
            : render_png(req.out_width, req.out_height, seed, tool.id == "background_remover");
    const OutputRef ref = keep_output(ctx, call, bytes, gif ? "image/gif" : "image/png");
    const std::string url = ctx.base_url + "/_sim/outputs/" + ref.id + "." + ref.ext();
    const std::string inference_id = ctx.state.new_uuid();
    nlohmann::json images = nlohmann::json::array(), urls = nlohmann::json::array();
    (hosted ? urls : images).push_back(hosted ? url : base64_encode(bytes));
    nlohmann::json out = {{"tool_id", tool.id},
                          {"inference_id", inference_id},
                          {"balance_cost", micros_to_usd(cost)},
                          {"credit_cost", cost > 0 ? tool.credit_cost : 0},
                          {"charged", cost > 0},
                          {"remaining_balance", micros_to_usd(remaining)},
                          {"remaining_credits", nullptr},
                          {"base64_images", images},
                          {"output_urls", urls},
                          {"output_width", req.out_width},
                          {"output_height", req.out_height},
                          // The deprecated camelCase twins "remain available for existing
                          // clients".
                          {"toolId", tool.id},
                          {"inferenceId", inference_id},
                          {"balanceCost", micros_to_usd(cost)},
                          {"creditCost", cost > 0 ? tool.credit_cost : 0}};
    if (hosted)
        out["outputImageUrl"] = url;
    else
        out["outputImageBase64"] = images[0];
    if (call.v2()) out["request_id"] = call.request_id;
    return out;
}

}  // namespace rdsim
