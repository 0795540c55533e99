#pragma once
// POST /v1/inferences and /v2/inferences bodies: schema checks (422) and the documented per-style
// rules (400).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim_styles.h"

namespace rdsim {

struct InferenceRequest {
    std::string prompt;
    std::string prompt_style = "rd_fast__default";  // the older page's examples omit it
    std::int64_t width = 0;
    std::int64_t height = 0;
    std::int64_t num_images = 1;
    std::optional<std::int64_t> seed;
    std::optional<std::int64_t> frames_duration;
    std::optional<std::int64_t> upscale_output_factor;
    std::optional<double> strength;
    std::optional<std::string> input_image;
    std::optional<std::string> input_palette;
    std::optional<std::string> extra_input_image;
    std::optional<std::string> extra_prompt;
    std::vector<std::string> reference_images;
    bool remove_bg = false;
    bool return_non_bg_removed = false;
    bool return_pre_palette = false;
    bool return_spritesheet = false;
    bool include_downloadable_data = false;
    bool check_cost = false;
    bool async = false;
    bool upload_outputs = false;
};

// The parsed request, or the pydantic-style issues for a 422. Unknown fields are ignored.
// v1 requires prompt; v2 (ExternalInferenceInputNeo) requires num_images instead.
std::variant<InferenceRequest, nlohmann::json> parse_inference(const nlohmann::json& body, bool v2);

// The message for a 400 when a documented rule is broken.
std::optional<std::string> check_inference_rules(const InferenceRequest& req,
                                                 const StyleSpec& style);

struct OutputSize {
    int width = 0;
    int height = 0;
};
// The size of each returned image: the style's fixed size where requested sizes are ignored,
// times upscale_output_factor when it is above 1.
OutputSize output_size(const InferenceRequest& req, const StyleSpec& style);

}  // namespace rdsim
