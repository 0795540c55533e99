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
    double flat_usd = 0;         // PriceRule::Flat
    std::string name;            // the selector's display name; empty: made from the id
    std::string example_prompt;  // empty: the kind's usual example
};

const std::vector<StyleSpec>& public_styles();

// By current id, legacy animation name (animation__vfx) or internal rd_fast id (default:rd_flux).
const StyleSpec* find_public_style(std::string_view prompt_style);

// User styles are RD Pro template styles: RD Pro limits and price.
StyleSpec user_style_spec(const std::string& prompt_style);

bool is_animated(const StyleSpec& style);  // GIF output unless return_spritesheet
std::string_view tab_of(StyleKind kind);

// The table as upstream has changed it (SimConfig::styles, prompt_style -> selector fields): a
// public style with its changes applied, or a style published after the documents.
std::optional<StyleSpec> find_current_style(const nlohmann::json& changes,
                                            std::string_view prompt_style);
// What is wrong with one entry of SimConfig::styles, for the control API.
std::optional<std::string> style_change_problem(const std::string& prompt_style,
                                                const nlohmann::json& fields);

// GET /styles/selector items (ExternalStyleSelectorItem) of the public styles as changed,
// optionally filtered by ?model= and ?tab=. rd_fast__default is listed under its internal id
// "default:rd_flux", as the newer document warns; optional fields are left out of some items,
// as the API leaves out nulls.
nlohmann::json selector_items(const nlohmann::json& changes,
                              const std::optional<std::string>& model,
                              const std::optional<std::string>& tab);
// The item of a caller's user style (an RD Pro template).
nlohmann::json user_selector_item(const std::string& prompt_style, const std::string& name,
                                  const std::string& description);
// The selector's ?model= and ?tab= values (v2's `models` and `tabs`).
nlohmann::json selector_models();
nlohmann::json selector_tabs();

}  // namespace rdsim
