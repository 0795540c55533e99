// Offline prices, computed in exact integer thousandths of a USD so that rounding to three
// decimals (half away from zero, on the request total) never depends on binary floating point.
#include "tools/cost_model.h"

#include <algorithm>
#include <cstdint>

namespace rdmcp::tools {
namespace {

using Mills = std::int64_t;  // thousandths of a USD

// numerator / denominator rounded half away from zero; denominator must be positive.
Mills divide_rounding_half_away_from_zero(std::int64_t numerator, std::int64_t denominator) {
    const std::int64_t magnitude = numerator < 0 ? -numerator : numerator;
    const std::int64_t rounded = (2 * magnitude + denominator) / (2 * denominator);
    return numerator < 0 ? -rounded : rounded;
}

// The resolution-based formulas: max(floor, (w*h + offset) / divisor) * n. Rounding is monotone,
// so rounding each side of the max and then taking it equals rounding the max itself.
struct AreaFormula {
    Mills floor_per_image;
    std::int64_t area_offset;
    std::int64_t divisor;
};

Mills area_priced(const AreaFormula& formula, int width, int height, int num_images) {
    const std::int64_t pixels = std::int64_t{width} * height;
    const Mills by_area = divide_rounding_half_away_from_zero(
        (pixels + formula.area_offset) * num_images * 1000, formula.divisor);
    return std::max(formula.floor_per_image * num_images, by_area);
}

constexpr AreaFormula kRdFastArea{15, 100'000, 6'000'000};
constexpr AreaFormula kRdPlusArea{25, 50'000, 2'000'000};
constexpr AreaFormula kLowResArea{20, 13'700, 600'000};

Mills cost_in_mills(PriceFormula formula, int width, int height, int num_images) {
    switch (formula) {
        case PriceFormula::RdFast:
            return area_priced(kRdFastArea, width, height, num_images);
        case PriceFormula::RdPlus:
            return area_priced(kRdPlusArea, width, height, num_images);
        case PriceFormula::LowRes:
            return area_priced(kLowResArea, width, height, num_images);
        case PriceFormula::RdPro:
            return Mills{180} * num_images;
        case PriceFormula::Pixelate:
            return Mills{250} * num_images;
        // The remaining prices are per request: size and batch do not change them.
        case PriceFormula::Animation:
            return 70;
        case PriceFormula::AnimationPremium:
            return 250;
        case PriceFormula::AdvancedAnimation:
            return 140;
        case PriceFormula::AdvancedAnimationPremium:
            return 250;
        case PriceFormula::Tileset:
            return 100;
    }
    return 0;  // unreachable: every enumerator is handled above
}

}  // namespace

double estimate_cost(const Style& style, int width, int height, int num_images) {
    return static_cast<double>(cost_in_mills(style.price, width, height, num_images)) / 1000.0;
}

std::string describe_price(PriceFormula formula) {
    switch (formula) {
        case PriceFormula::RdFast:
            return "max(0.015, (w*h+100000)/6000000) x images";
        case PriceFormula::RdPlus:
            return "max(0.025, (w*h+50000)/2000000) x images";
        case PriceFormula::LowRes:
            return "max(0.02, (w*h+13700)/600000) x images";
        case PriceFormula::RdPro:
            return "0.18 x images";
        case PriceFormula::Pixelate:
            return "0.25 x images";
        case PriceFormula::Animation:
            return "0.07 per request";
        case PriceFormula::AnimationPremium:
            return "0.25 per request";
        case PriceFormula::AdvancedAnimation:
            return "0.14 per request";
        case PriceFormula::AdvancedAnimationPremium:
            return "0.25 per request";
        case PriceFormula::Tileset:
            return "0.10 per request";
    }
    return "unknown";  // unreachable: every enumerator is handled above
}

}  // namespace rdmcp::tools
