#pragma once
// The image fields of an edit tool request (input_image, mask_image, input_palette,
// extra_input_image), decoded as the API has to: PNG pixels with libpng, every GIF frame with
// giflib (to tell an animated GIF), JPEG and WebP from their headers only.
#include <optional>
#include <string>
#include <string_view>

#include "sim_image_probe.h"

namespace rdsim {

struct EditImage {
    ImageInfo info;
    int frames = 1;  // more than one: an animated GIF
};

struct EditImageResult {
    enum class Problem { None, Invalid, TooLarge, TooManyFrames } problem = Problem::None;
    std::optional<EditImage> image;
    std::string why;  // for Invalid: what is wrong with the bytes
};

// Raw base64 or a data URI. A side over max_side (0: any) is TooLarge, found from the header
// before any pixel is decoded; more than max_frames frames is TooManyFrames.
EditImageResult read_edit_image(std::string_view text, int max_side, int max_frames);

}  // namespace rdsim
