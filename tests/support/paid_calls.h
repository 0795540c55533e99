#pragma once
// Paid calls the tests make, the same in every test.
#include <nlohmann/json.hpp>

namespace rdmcp::testing {

// create_inference's arguments for four 256x256 images of rd_pro__default: what the spend checks
// (confirmation, limits) are tried on.
inline const nlohmann::json kPaidArguments = {{"prompt", "a knight"},
                                              {"prompt_style", "rd_pro__default"},
                                              {"width", 256},
                                              {"height", 256},
                                              {"num_images", 4}};

// create_inference's arguments for one 64x64 image of rd_fast__default, and what it costs.
inline const nlohmann::json kCorgi = {
    {"prompt", "corgi"}, {"prompt_style", "rd_fast__default"}, {"width", 64}, {"height", 64}};
inline constexpr double kCorgiCost = 0.017;  // USD, rd_fast 64x64

}  // namespace rdmcp::testing
