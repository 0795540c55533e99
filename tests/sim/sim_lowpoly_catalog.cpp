#include "sim_lowpoly_catalog.h"

#include <algorithm>
#include <map>

namespace rdsim {
namespace {

const std::vector<std::string> kOperations = {"generate", "revise", "animate", "split", "rerig"};

// USD per size 16/32/64/128/256 for standard styles; "split & re-rig" share a row.
const std::map<std::string, std::vector<double>>& standard_prices() {
    static const std::map<std::string, std::vector<double>> prices = {
        {"generate", {0.25, 0.50, 0.85, 1.20, 3.00}}, {"revise", {0.20, 0.35, 0.65, 0.90, 1.50}},
        {"animate", {0.15, 0.25, 0.35, 0.50, 1.00}},  {"split", {0.10, 0.10, 0.15, 0.20, 0.25}},
        {"rerig", {0.10, 0.10, 0.15, 0.20, 0.25}},
    };
    return prices;
}

double price_usd(const std::string& tier, const std::string& operation, int size) {
    if (tier == "lite") return operation == "generate" ? 0.10 : 0.08;
    const auto* at = std::find(std::begin(kLowPolySizes), std::end(kLowPolySizes), size);
    const auto index = static_cast<std::size_t>(at - std::begin(kLowPolySizes));
    return standard_prices().at(operation).at(std::min<std::size_t>(index, 4));
}

nlohmann::json price_table(const std::string& tier) {
    nlohmann::json table = nlohmann::json::object();
    for (const std::string& op : kOperations)
        for (const int size : kLowPolySizes)
            table[op][std::to_string(size)] = price_usd(tier, op, size);
    return table;
}

}  // namespace

const std::vector<LowPolyStyle>& lowpoly_styles() {
    static const std::vector<LowPolyStyle> styles = {
        {"rd_lowpoly__detailed", "Detailed", "Low-poly models with more shapes and detail.",
         "standard"},
        {"rd_lowpoly__blocky", "Blocky", "Chunky, blocky low-poly models.", "standard"},
        {"rd_lowpoly__detailed_lite", "Detailed Lite", "A cheaper, faster detailed model.", "lite"},
        {"rd_lowpoly__blocky_lite", "Blocky Lite", "A cheaper, faster blocky model.", "lite"},
    };
    return styles;
}

const LowPolyStyle* find_lowpoly_style(const std::string& id) {
    for (const LowPolyStyle& s : lowpoly_styles())
        if (s.id == id) return &s;
    return nullptr;
}

bool is_lowpoly_size(std::int64_t size) {
    return std::find(std::begin(kLowPolySizes), std::end(kLowPolySizes), size) !=
           std::end(kLowPolySizes);
}

bool is_lowpoly_operation(const std::string& operation) {
    return std::find(kOperations.begin(), kOperations.end(), operation) != kOperations.end();
}

Micros lowpoly_price(const LowPolyStyle& style, const std::string& operation, int size) {
    return usd_to_micros(price_usd(style.tier, operation, size));
}

const std::vector<LowPolyExportTarget>& lowpoly_export_targets() {
    static const std::vector<LowPolyExportTarget> targets = {
        {"godot", "Godot", "game_engine", "glb", "model/gltf-binary", false},
        {"unity", "Unity", "game_engine", "glb", "model/gltf-binary", false},
        {"unreal", "Unreal Engine", "game_engine", "glb", "model/gltf-binary", false},
        {"web", "Web (three.js)", "web", "glb", "model/gltf-binary", false},
        {"blender", "Blender", "3d_software", "glb", "model/gltf-binary", false},
        {"blockbench", "Blockbench", "3d_software", "bbmodel", "application/json", false},
        {"obj", "OBJ + MTL", "3d_software", "zip", "application/zip", false},
        {"minecraft", "Minecraft resource pack", "game_engine", "zip", "application/zip", false},
        {"atlas", "Texture atlas", "image", "png", "image/png", false},
        {"turntable", "Turntable (8 views)", "image", "png", "image/png", false},
        {"axis_views", "Axis views (6 PNGs)", "image", "zip", "application/zip", false},
        {"gif", "Animated GIF", "animation", "gif", "image/gif", false},
        {"sheet", "Sprite sheet", "animation", "png", "image/png", false},
        {"mp4", "MP4 video", "animation", "mp4", "video/mp4", true},
    };
    return targets;
}

const LowPolyExportTarget* find_export_target(const std::string& id) {
    for (const LowPolyExportTarget& t : lowpoly_export_targets())
        if (t.id == id) return &t;
    return nullptr;
}

int auto_lowpoly_size(const std::string& prompt) {
    return prompt.empty() ? kLowPolyImageOnlySize : kLowPolyAutoSize;
}

nlohmann::json lowpoly_pricing_json() {
    nlohmann::json styles = nlohmann::json::array();
    for (const LowPolyStyle& s : lowpoly_styles()) {
        const bool lite = s.tier == "lite";
        styles.push_back({{"id", s.id},
                          {"name", s.name},
                          {"description", s.description},
                          {"appearance", "complex"},
                          {"tier", s.tier},
                          {"prices", price_table(s.tier)},
                          {"banner_color", lite ? "#3b82f6" : "#8b5cf6"},
                          {"banner_text", lite ? "Lite" : "3D"},
                          {"show_new_badge", !lite}});
    }
    nlohmann::json targets = nlohmann::json::array();
    for (const LowPolyExportTarget& t : lowpoly_export_targets())
        targets.push_back({{"id", t.id},
                           {"name", t.name},
                           {"group", t.group},
                           {"extension", t.extension},
                           {"needs_animation", t.needs_animation}});
    return {{"sizes", kLowPolySizes},
            {"default_size", kLowPolyAutoSize},
            {"prices", {{"standard", price_table("standard")}, {"lite", price_table("lite")}}},
            {"styles", styles},
            {"prompt_max", kLowPolyPromptMax},
            {"max_reference_images", kLowPolyMaxReferences},
            {"export_targets", targets},
            {"rig_cost", 0.0}};
}

}  // namespace rdsim
