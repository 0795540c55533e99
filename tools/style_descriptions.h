#pragma once
// What the server says about one style, as JSON: its catalog entry (list_available_styles, the
// rd://styles resource) and its usage page (get_style_usage, rd://styles/{prompt_style}): which
// inputs it takes, an example call, tips and its price at a size. Written once, read everywhere.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/json_rpc.h"
#include "tools/style_catalog.h"

namespace rdmcp::tools {

// The catalog entry: id, aliases, model, kind, limits, output, price rule, origin (and the live
// selector's name and example prompt when it gave them).
protocol::Json style_entry_json(const Style& style);

// The size a usage page prices when the caller names none: 128 where the style allows it (a
// common sprite size), else the nearest it allows; square where it must be.
std::pair<int, int> default_usage_size(const Style& style, std::optional<int> width = {},
                                       std::optional<int> height = {});

// The usage page at width x height for num_images: limits, inputs, output, price (the documented
// formula), example create_inference arguments and tips. `catalog_source` is where the entry came
// from ("cached", "built_in").
protocol::Json style_usage_json(const Style& style, int width, int height, int num_images,
                                std::string_view catalog_source);

}  // namespace rdmcp::tools
