#include "tools/style_selector.h"

#include <cmath>
#include <string>
#include <unordered_map>

#include "tools/api_fields.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

// Ids are a few dozen characters (the inputSchema's prompt_style maxLength is 128); texts are
// for reading, not for flooding an agent's context.
constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kMaxTextLength = 600;
// The API validates 12..512; anything outside this is not a limit but garbage.
constexpr int kLargestSide = 4096;
constexpr int kLargestBatch = 64;

std::optional<std::string> text(const Json& item, const char* name) {
    auto value = text_in(item, name);
    if (value && value->size() > kMaxTextLength) value->resize(kMaxTextLength);
    return value;
}

// A positive whole number no larger than `largest`, or nothing.
std::optional<int> whole(const Json& item, const char* name, int largest) {
    const auto value = number_in(item, name);
    if (!value || *value < 1 || *value > largest || std::floor(*value) != *value) {
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

std::optional<StyleKind> kind_of_tab(const std::string& tab) {
    if (tab == "tab:image") return StyleKind::Image;
    if (tab == "tab:animation") return StyleKind::Animation;
    if (tab == "tab:advanced-animation") return StyleKind::AdvancedAnimation;
    if (tab == "tab:tileset") return StyleKind::Tileset;
    return std::nullopt;
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// A style this build does not know is priced by its family's documented rule
// (retrodiffusion-llms.txt, "Costs"): an estimate, as every offline price is labelled.
PriceFormula family_price(const std::string& model, const std::string& id) {
    const bool low_res = contains(id, "low_res") || contains(id, "mc_") ||
                         contains(id, "classic") || contains(id, "skill_icon") ||
                         contains(id, "topdown_item");
    if (model == "rd_fast") return low_res ? PriceFormula::LowRes : PriceFormula::RdFast;
    if (model == "rd_plus") return low_res ? PriceFormula::LowRes : PriceFormula::RdPlus;
    if (model == "rd_mini") return PriceFormula::LowRes;
    if (model == "rd_animation") return PriceFormula::Animation;
    if (model == "rd_advanced_animation") return PriceFormula::AdvancedAnimation;
    if (model == "rd_tile") {
        return contains(id, "tileset") ? PriceFormula::Tileset : PriceFormula::LowRes;
    }
    return PriceFormula::RdPro;  // rd_pro and user styles (RD Pro templates)
}

// A style only the selector knows, before the item's fields are laid over it: the family from
// the id ("rd_plus__x" is rd_plus; "user__x" is a user style), the widest sizes the API takes.
Style unknown_style(const std::string& id, const Json& item) {
    const auto separator = id.find("__");
    std::string model = separator == std::string::npos ? "" : id.substr(0, separator);
    if (model.empty()) model = text(item, "required_model").value_or("unknown");
    StyleKind kind = StyleKind::Image;
    if (model == "rd_animation") kind = StyleKind::Animation;
    if (model == "rd_advanced_animation") kind = StyleKind::AdvancedAnimation;
    if (model == "rd_tile") kind = StyleKind::Tileset;
    if (auto tab = text(item, "required_tab")) kind = kind_of_tab(*tab).value_or(kind);
    const bool animated = kind == StyleKind::Animation || kind == StyleKind::AdvancedAnimation;
    return Style{
        .id = id,
        .aliases = {},
        .model = model,
        .kind = kind,
        .description = "",
        .min_width = 16,
        .max_width = 512,
        .min_height = 16,
        .max_height = 512,
        .square_only = false,
        .max_images = 16,
        .requires_input_image = false,
        .max_reference_images = 0,
        .price = family_price(model, id),
        .output = animated ? OutputFormat::Gif : OutputFormat::Png,
        .supports_frames_duration = kind == StyleKind::AdvancedAnimation,
        .origin = StyleOrigin::LiveOnly,
    };
}

// Lays the item's fields over `style`: each one the item gives with a usable value wins.
void apply_item(Style& style, const Json& item) {
    if (auto value = text(item, "name")) style.name = *value;
    if (auto value = text(item, "description"); value && !value->empty()) {
        style.description = *value;
    }
    if (auto value = text(item, "example_prompt")) style.example_prompt = *value;
    if (auto value = text(item, "prompt_requirement")) style.prompt_requirement = *value;
    const auto min_width = whole(item, "min_width", kLargestSide);
    const auto max_width = whole(item, "max_width", kLargestSide);
    const auto min_height = whole(item, "min_height", kLargestSide);
    const auto max_height = whole(item, "max_height", kLargestSide);
    // A range is taken whole or not at all: half of one could make an impossible range.
    if (min_width && max_width && *min_width <= *max_width) {
        style.min_width = *min_width;
        style.max_width = *max_width;
    }
    if (min_height && max_height && *min_height <= *max_height) {
        style.min_height = *min_height;
        style.max_height = *max_height;
    }
    if (auto batch = whole(item, "max_number_of_images", kLargestBatch)) style.max_images = *batch;
    if (auto needed = flag_in(item, "require_input_image")) style.requires_input_image = *needed;
    if (auto refs = flag_in(item, "supports_reference_images")) {
        // The selector says whether, the documents say how many: up to 9 (RD Pro).
        if (!*refs) style.max_reference_images = 0;
        if (*refs && style.max_reference_images == 0) style.max_reference_images = 9;
    }
    if (auto frames = flag_in(item, "supports_frames_duration")) {
        style.supports_frames_duration = *frames;
    }
}

template <typename Styles>
auto* find_in(Styles& styles, std::string_view prompt_style) {
    decltype(&styles.front()) found = nullptr;
    for (auto& style : styles) {
        if (style.id == prompt_style) return &style;
        for (const std::string& alias : style.aliases) {
            if (alias == prompt_style) found = &style;
        }
    }
    return found;
}

const Json* selector_items(const Json& body) {
    if (body.is_array()) return &body;               // v1
    const Json* styles = member_in(body, "styles");  // v2
    return styles && styles->is_array() ? styles : nullptr;
}

}  // namespace

const Style* MergedCatalog::find(std::string_view prompt_style) const {
    return find_in(styles, prompt_style);
}

std::string public_style_id(std::string_view selector_id) {
    constexpr std::string_view kFlux = ":rd_flux";
    if (selector_id.size() > kFlux.size() && selector_id.ends_with(kFlux)) {
        return "rd_fast__" + std::string(selector_id.substr(0, selector_id.size() - kFlux.size()));
    }
    return std::string(selector_id);
}

std::optional<MergedCatalog> merge_selector_answer(const Json& body) {
    const Json* items = selector_items(body);
    if (!items) return std::nullopt;

    MergedCatalog merged{all_styles()};
    std::unordered_map<std::string, std::size_t> position;  // built-in id -> index in merged
    for (std::size_t i = 0; i < merged.styles.size(); ++i) position[merged.styles[i].id] = i;

    std::size_t read = 0;
    for (const Json& item : *items) {
        if (read++ == kMaxSelectorStyles) break;
        const auto selector_id = text_in(item, "prompt_style");
        if (!selector_id || selector_id->empty() || selector_id->size() > kMaxIdLength) continue;
        const std::string id = public_style_id(*selector_id);
        const Style* built_in = find_style(id);
        Style* style = nullptr;
        if (built_in) {
            style = &merged.styles[position.at(built_in->id)];
            style->origin = StyleOrigin::Live;
        } else if (Style* seen = find_in(merged.styles, id)) {
            style = seen;  // listed twice: the later item wins
        } else {
            merged.styles.push_back(unknown_style(id, item));
            style = &merged.styles.back();
        }
        if (*selector_id != style->id && merged.find(*selector_id) == nullptr) {
            style->aliases.push_back(*selector_id);  // "default:rd_flux" still finds it
        }
        apply_item(*style, item);
    }
    return merged;
}

}  // namespace rdmcp::tools
