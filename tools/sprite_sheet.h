#pragma once
// Animation frames as game engines load them: one sheet image with the frames left to right and
// a "JSON hash" atlas (the TexturePacker / Aseprite / Phaser shape) naming each frame's
// rectangle and duration; and the reverse, a sheet cut back into its frames.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/image_codec.h"

namespace rdmcp::tools {

struct SheetFrame {
    RgbaImage image;
    int duration_ms = 100;
};

struct SpriteSheet {
    RgbaImage sheet;       // the frames left to right in one row (all frames the same size)
    protocol::Json atlas;  // the "JSON hash" atlas (TexturePacker / Aseprite / Phaser shape):
    // {"frames": {"<stem>_0.png": {"frame": {"x","y","w","h"}, "rotated": false,
    //   "trimmed": false, "spriteSourceSize": {"x":0,"y":0,"w","h"}, "sourceSize": {"w","h"},
    //   "duration": ms}, ...}, "meta": {"app": "retrodiffusion-mcp", "version": "1.0",
    //   "image": "<image_file_name>", "format": "RGBA8888", "size": {"w","h"}, "scale": "1",
    //   "frameTags": [{"name": "<stem>", "from": 0, "to": N-1, "direction": "forward"}]}}
    // frame names "<stem>_<index>.png", index from 0, in frame order, padded with zeros to the
    // width of the largest index ("walk_00".."walk_11") so that nlohmann's sorted keys keep
    // the frame order.
};

// The most pixels a sheet may have (1 GiB of RGBA8).
inline constexpr long long kMaxSheetPixels = 1LL << 28;

// The name of frame `index` of `count` in the atlas: frame_name("walk", 3, 12) == "walk_03.png".
std::string frame_name(std::string_view stem, std::size_t index, std::size_t count);

// Error when frames is empty, a frame is empty, the frames differ in size or the sheet would
// be larger than kMaxSheetPixels.
std::variant<SpriteSheet, std::string> make_sprite_sheet(const std::vector<SheetFrame>& frames,
                                                         std::string_view stem,
                                                         std::string_view image_file_name);

// Cuts a sheet into frames of frame_width x frame_height, row by row, left to right (what the
// API's return_spritesheet gives); error when the sheet is not a whole number of frames.
std::variant<std::vector<RgbaImage>, std::string> split_sheet(const RgbaImage& sheet,
                                                              int frame_width, int frame_height);

}  // namespace rdmcp::tools
