#pragma once
// The simulator's own table of public styles, written from the two API documents (where they
// disagree on a limit, the wider one is taken), plus the synthetic spec for user styles.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdsim {

enum class StyleKind { Image, Animation, AdvancedAnimation, Tileset };
enum class PriceRule { Fast, Plus, LowRes, Pro, Flat };

struct StyleSpec {
    std::string id;      // current prompt_style
    std::string family;  // selector's required_model: rd_fast, rd_plus, rd_pro, rd_mini, ...
    std::string model;   // "model" in the inference response (rd_mini routes to rd_plus/rd_fast)
    StyleKind kind = StyleKind::Image;
    std::string description;
    int min_width = 64, max_width = 384, min_height = 64, max_height = 384;
    bool square_only = false;
    bool size_ignored = false;  // documented: other sizes are ignored, output is min x min
    int max_images = 16;
    bool input_required = false;
    int max_reference_images = 0;
    PriceRule price = PriceRule::Fast;
    double flat_usd = 0;  // PriceRule::Flat
};

const std::vector<StyleSpec>& public_styles();

// By current id, legacy animation name (animation__vfx) or internal rd_fast id (default:rd_flux).
const StyleSpec* find_public_style(std::string_view prompt_style);

// User styles are RD Pro template styles: RD Pro limits and price.
StyleSpec user_style_spec(const std::string& prompt_style);

bool is_animated(const StyleSpec& style);  // GIF output unless return_spritesheet
std::string_view tab_of(StyleKind kind);

// GET /v1/styles/selector items, optionally filtered by ?model= and ?tab=.
nlohmann::json selector_items(const std::optional<std::string>& model,
                              const std::optional<std::string>& tab);

}  // namespace rdsim
