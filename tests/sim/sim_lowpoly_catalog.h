#pragma once
// The Low-Poly 3D catalog (v2 reference section 8): sizes, styles, the price table and the
// export targets, as GET /lowpoly/pricing shows them and every paid call charges them.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim_state.h"

namespace rdsim {

inline constexpr int kLowPolySizes[] = {16, 32, 64, 128, 256};
inline constexpr int kLowPolyAutoSize = 32;       // "auto" for a prompt (the sim's choice)
inline constexpr int kLowPolyImageOnlySize = 64;  // "image-only -> 64"
inline constexpr int kLowPolyPromptMax = 250;
inline constexpr int kLowPolyMaxReferences = 4;
inline constexpr const char* kLowPolyDefaultStyle = "rd_lowpoly__detailed";

struct LowPolyStyle {
    std::string id;
    std::string name;
    std::string description;
    std::string tier;  // standard or lite
};

struct LowPolyExportTarget {
    std::string id;
    std::string name;
    std::string group;
    std::string extension;
    std::string content_type;
    bool needs_animation = false;
};

const std::vector<LowPolyStyle>& lowpoly_styles();
const LowPolyStyle* find_lowpoly_style(const std::string& id);
bool is_lowpoly_size(std::int64_t size);
bool is_lowpoly_operation(const std::string& operation);  // generate, revise, animate, split, rerig

// The price of one job; a lite style costs the same at every size.
Micros lowpoly_price(const LowPolyStyle& style, const std::string& operation, int size);

const std::vector<LowPolyExportTarget>& lowpoly_export_targets();
const LowPolyExportTarget* find_export_target(const std::string& id);

// "auto" size: image-only 64, otherwise 32 (a deterministic stand-in for the API's guess).
int auto_lowpoly_size(const std::string& prompt);

nlohmann::json lowpoly_pricing_json();  // LowPolyPricingRead

}  // namespace rdsim
