#pragma once
// Renders the images an inference returns and the response fields that carry them.
#include <nlohmann/json.hpp>

#include "sim_inference_request.h"
#include "sim_routes.h"
#include "sim_styles.h"

namespace rdsim {

// {"base64_images": [...]} (or empty base64_images plus "output_urls" when upload_outputs),
// with "downloadable_data" for rd_pro__inventory_items when include_downloadable_data.
nlohmann::json render_inference_outputs(Ctx& ctx, const InferenceRequest& req,
                                        const StyleSpec& style);

}  // namespace rdsim
