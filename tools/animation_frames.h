#pragma once
// An animation as a game engine wants it: each frame as its own PNG, and one spritesheet PNG
// with its JSON-hash atlas (frame rectangles and durations), from the GIF the API returns or
// from its return_spritesheet PNG (cut by the frame size that was asked).
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"

namespace rdmcp::tools {

struct AnimationFrames {
    std::vector<std::string> frame_pngs;  // PNG bytes, in order
    std::string sheet_png;                // the frames left to right
    protocol::Json atlas;                 // its atlas, meta.image = "<stem>_sheet.png"
};

// `image` is the decoded file (GIF or PNG); frame_width/height cut a PNG sheet (a GIF knows its
// own frames). Or why it cannot be cut ("the PNG is not a whole number of 64x64 frames").
std::variant<AnimationFrames, std::string> animation_frames(std::string_view image,
                                                            std::string_view mime, int frame_width,
                                                            int frame_height,
                                                            std::string_view stem);

}  // namespace rdmcp::tools
