#pragma once
// The documented price formulas, used when the authoritative `check_cost` dry run is not
// available (no key, no upstream). Results are labelled as offline estimates by callers.
#include <string>

#include "tools/style_catalog.h"

namespace rdmcp::tools {

// USD for one request, rounded to three decimal places as the API documents.
double estimate_cost(const Style& style, int width, int height, int num_images);

// The formula in words, for the catalog listing: e.g. "max(0.015, (w*h+100000)/6000000) x images".
std::string describe_price(PriceFormula formula);

}  // namespace rdmcp::tools
