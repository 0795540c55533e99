#include "sim_inference_output.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "sim_base64.h"
#include "sim_images.h"

namespace rdsim {
namespace {

struct OutputFile {
    std::string bytes;
    bool gif = false;
};

OutputFile render_one(const InferenceRequest& req, const StyleSpec& style, std::uint64_t seed,
                      bool transparent) {
    const OutputSize size = output_size(req, style);
    if (!is_animated(style)) return {render_png(size.width, size.height, seed, transparent), false};
    const int frames = req.frames_duration ? static_cast<int>(*req.frames_duration) : 4;
    if (!req.return_spritesheet) return {render_gif(size.width, size.height, seed, frames), true};
    const int rows = style.id.find("four_angle") != std::string::npos ? 4 : 1;
    return {render_spritesheet(size.width, size.height, seed, frames, rows), false};
}

std::vector<std::string> item_names(const std::string& prompt) {
    std::vector<std::string> names;
    std::stringstream in(prompt);
    for (std::string part; std::getline(in, part, ',');) {
        const auto first = part.find_first_not_of(' ');
        if (first != std::string::npos) names.push_back(part.substr(first));
    }
    while (names.size() < 4) names.push_back("Item " + std::to_string(names.size() + 1));
    return names;
}

// Shaped like the document's item_atlas example: items on a 2-column grid, masks at half size.
nlohmann::json downloadable_data(const InferenceRequest& req, const StyleSpec& style) {
    const OutputSize size = output_size(req, style);
    const std::vector<std::string> names = item_names(req.prompt);
    const int count = static_cast<int>(names.size());
    const int rows = (count + 1) / 2;
    const int cell_w = size.width / 2, cell_h = size.height / rows;
    nlohmann::json sprites = nlohmann::json::array();
    for (int i = 0; i < count; ++i) {
        const int x = (i % 2) * cell_w + 2, y = (i / 2) * cell_h + 2;
        const int w = std::max(1, cell_w - 4), h = std::max(1, cell_h - 4);
        sprites.push_back({{"h", h},
                           {"w", w},
                           {"x", x},
                           {"y", y},
                           {"id", i},
                           {"name", names[i]},
                           {"mask_h", h / 2},
                           {"mask_w", w / 2},
                           {"mask_x", x / 2},
                           {"mask_y", y / 2}});
    }
    return {{"downloadable_json",
             {{"data",
               {{"meta",
                 {{"count", count},
                  {"mask_h", size.height / 2},
                  {"mask_w", size.width / 2},
                  {"image_h", size.height},
                  {"image_w", size.width}}},
                {"sprites", sprites}}},
              {"type", "item_atlas"},
              {"filename", "item_atlas.json"},
              {"description", "Sprite atlas with item positions and names"}}}};
}

}  // namespace

nlohmann::json render_inference_outputs(Ctx& ctx, const Call& call, const InferenceRequest& req,
                                        const StyleSpec& style) {
    const std::uint64_t seed =
        req.seed ? static_cast<std::uint64_t>(*req.seed) : ctx.state.random_u64();
    std::vector<OutputFile> files;
    for (std::int64_t i = 0; i < req.num_images; ++i)
        files.push_back(
            render_one(req, style, seed + static_cast<std::uint64_t>(i), req.remove_bg));
    // Documented extras: one more image in base64_images for each.
    if (req.input_palette && req.return_pre_palette)
        files.push_back(render_one(req, style, seed ^ 0x5A5A5A5Aull, req.remove_bg));
    if (req.remove_bg && req.return_non_bg_removed)
        files.push_back(render_one(req, style, seed, false));

    // v2: "large results (multi-frame animations) come as output_urls with empty base64_images
    // even without upload_outputs".
    const bool has_frames =
        std::any_of(files.begin(), files.end(), [](const OutputFile& f) { return f.gif; });
    nlohmann::json out = {{"base64_images", nlohmann::json::array()}};
    std::vector<OutputRef> refs;
    for (const OutputFile& f : files)
        refs.push_back(keep_output(ctx, call, f.bytes, f.gif ? "image/gif" : "image/png"));
    if (req.upload_outputs || (call.v2() && has_frames)) {
        nlohmann::json urls = nlohmann::json::array();
        for (const OutputRef& ref : refs)
            urls.push_back(ctx.base_url + "/_sim/outputs/" + ref.id + "." + ref.ext());
        out["output_urls"] = urls;
    } else {
        for (const OutputFile& f : files) out["base64_images"].push_back(base64_encode(f.bytes));
    }
    if (req.include_downloadable_data && style.id == "rd_pro__inventory_items")
        out["downloadable_data"] = downloadable_data(req, style);
    return out;
}

}  // namespace rdsim
