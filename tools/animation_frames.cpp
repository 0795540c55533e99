#include "tools/animation_frames.h"

#include "tools/image_codec.h"
#include "tools/sprite_sheet.h"

namespace rdmcp::tools {

namespace {

// PNG sheets from the API carry no timing: the GIF's usual 100 ms.
constexpr int kSheetFrameMs = 100;

}  // namespace

std::variant<AnimationFrames, std::string> animation_frames(std::string_view image,
                                                            std::string_view mime, int frame_width,
                                                            int frame_height,
                                                            std::string_view stem) {
    std::vector<SheetFrame> frames;
    if (mime == "image/gif") {
        auto decoded = decode_gif(image);
        if (auto* problem = std::get_if<std::string>(&decoded)) return *problem;
        for (auto& frame : std::get<std::vector<AnimationFrame>>(decoded)) {
            frames.push_back({std::move(frame.image), frame.delay_ms});
        }
    } else if (mime == "image/png") {
        auto decoded = decode_png(image);
        if (auto* problem = std::get_if<std::string>(&decoded)) return *problem;
        auto cut = split_sheet(std::get<RgbaImage>(decoded), frame_width, frame_height);
        if (auto* problem = std::get_if<std::string>(&cut)) return *problem;
        for (auto& frame : std::get<std::vector<RgbaImage>>(cut)) {
            frames.push_back({std::move(frame), kSheetFrameMs});
        }
    } else {
        return "frames are made from a GIF or a PNG spritesheet, not " + std::string(mime);
    }
    const std::string sheet_name = std::string(stem) + "_sheet.png";
    auto sheet = make_sprite_sheet(frames, stem, sheet_name);
    if (auto* problem = std::get_if<std::string>(&sheet)) return *problem;
    auto& made = std::get<SpriteSheet>(sheet);
    AnimationFrames result;
    for (const auto& frame : frames) result.frame_pngs.push_back(encode_png(frame.image));
    result.sheet_png = encode_png(made.sheet);
    result.atlas = std::move(made.atlas);
    return result;
}

}  // namespace rdmcp::tools
