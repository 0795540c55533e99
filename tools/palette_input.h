#pragma once
// input_palette as a game maker has it: besides an image (any image argument), hex colours
// ("#1a1c2c, #5d275d, ...": commas or spaces between them) or, over stdio, a palette file
// (Lospec .hex, GIMP or Aseprite .gpl, JASC .pal). The API takes an image: the server draws one
// pixel per colour. One string either way, so the schema keeps a single type.
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

struct PaletteInput {
    std::optional<std::string> base64_png;  // set when the value was colours or a palette file
    std::string problem;                    // set when it was meant as one and is wrong
};

// Nothing set: `value` is an image argument, resolved as before.
PaletteInput palette_input(const protocol::Json& value, bool local_files_allowed);

}  // namespace rdmcp::tools
