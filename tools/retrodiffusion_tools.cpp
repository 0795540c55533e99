#include "tools/retrodiffusion_tools.h"

namespace rdmcp::tools {

protocol::ToolRegistry make_retrodiffusion_tools(std::shared_ptr<const UpstreamClient> upstream) {
    protocol::ToolRegistry registry;
    registry.add(make_get_balance_tool(upstream));
    registry.add(make_list_available_styles_tool());
    return registry;
}

std::string server_instructions() {
    return "RetroDiffusion generates pixel art (images, animations, tilesets) through the "
           "caller's own API key; generations cost real money.\n"
           "- Pick a style first with list_available_styles: it gives each prompt_style's sizes, "
           "batch limit, required inputs and price.\n"
           "- Prompts describe the subject only (\"a knight resting by a campfire\"); never "
           "write \"pixel art\" or style words: the style does that.\n"
           "- Estimate the cost before generating (estimate_inference_cost is free) and check "
           "the balance with get_balance before large batches.\n"
           "- Reuse a seed to iterate on one composition: change only the prompt.\n"
           "- Images are returned as PNG (animations as GIF); input images are raw base64 PNGs "
           "without a data: prefix.";
}

}  // namespace rdmcp::tools
