#pragma once
// The items of an item sheet (include_downloadable_data on styles such as
// rd_pro__inventory_items): the API's item_atlas names each item and its box in the image; this
// cuts each box out as its own picture, named after the item.
#include <string>
#include <vector>

#include "protocol/json_rpc.h"
#include "tools/image_codec.h"

namespace rdmcp::tools {

struct SheetItem {
    int id = 0;
    std::string name;  // as the API named it
    std::string slug;  // for a file name: "holy_sword_lion_shield" (at most 40 characters)
    RgbaImage image;
};

inline constexpr std::size_t kMaxSheetItems = 256;

// The items of `downloadable_data` ({"downloadable_json": {"type": "item_atlas", "data":
// {"meta": {image_w, image_h}, "sprites": [{id, name, x, y, w, h}, ...]}}}) cut from `image`.
// Boxes are scaled when the atlas measured another size than the image, and clipped to it; an
// item whose box is missing, null or empty is left out. Nothing when there is no item atlas.
std::vector<SheetItem> slice_items(const RgbaImage& image, const protocol::Json& downloadable_data);

}  // namespace rdmcp::tools
