#pragma once
// The price formulas of the newer API document (retrodiffusion-llms.txt), rounded to three
// decimal places as both documents state.
#include <cstdint>

#include "sim_state.h"
#include "sim_styles.h"

namespace rdsim {

Micros inference_cost(const StyleSpec& style, std::int64_t width, std::int64_t height,
                      std::int64_t num_images);

}  // namespace rdsim
