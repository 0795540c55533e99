#pragma once
// Renders the images an inference returns and the response fields that carry them.
#include <nlohmann/json.hpp>

#include "sim_inference_request.h"
#include "sim_routes.h"
#include "sim_styles.h"

namespace rdsim {

// {"base64_images": [...]} (or empty base64_images plus "output_urls" when upload_outputs,
// and on v2 for multi-frame animations too), with "downloadable_data" for
// rd_pro__inventory_items when include_downloadable_data. Every output is kept for 24 h
// (keep_output), so API Activity can hand it out again.
nlohmann::json render_inference_outputs(Ctx& ctx, const Call& call, const InferenceRequest& req,
                                        const StyleSpec& style);

}  // namespace rdsim
