#include "tools/item_sheet.h"

#include <cctype>

#include "tools/api_fields.h"

namespace rdmcp::tools {

using protocol::Json;

namespace {

constexpr std::size_t kMaxSlugLength = 40;

std::string slug_of(const std::string& name, int id) {
    std::string slug;
    for (const unsigned char c : name) {
        if (slug.size() == kMaxSlugLength) break;
        if (std::isalnum(c)) {
            slug += static_cast<char>(std::tolower(c));
        } else if (!slug.empty() && slug.back() != '_') {
            slug += '_';
        }
    }
    while (!slug.empty() && slug.back() == '_') slug.pop_back();
    return slug.empty() ? "item_" + std::to_string(id) : slug;
}

const Json* member(const Json& object, const char* name) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::vector<SheetItem> slice_items(const RgbaImage& image, const Json& downloadable_data) {
    std::vector<SheetItem> items;
    const Json* atlas = member(downloadable_data, "downloadable_json");
    const Json* data = atlas ? member(*atlas, "data") : nullptr;
    const Json* sprites = data ? member(*data, "sprites") : nullptr;
    if (!sprites || !sprites->is_array() || image.width <= 0 || image.height <= 0) return items;
    // The atlas's own measure of the image, when it gives one.
    double scale_x = 1, scale_y = 1;
    if (const Json* meta = member(*data, "meta")) {
        const auto measured_w = number_in(*meta, "image_w");
        const auto measured_h = number_in(*meta, "image_h");
        if (measured_w && *measured_w > 0) scale_x = image.width / *measured_w;
        if (measured_h && *measured_h > 0) scale_y = image.height / *measured_h;
    }
    for (const auto& sprite : *sprites) {
        if (items.size() == kMaxSheetItems) break;
        const auto x = number_in(sprite, "x"), y = number_in(sprite, "y");
        const auto w = number_in(sprite, "w"), h = number_in(sprite, "h");
        if (!x || !y || !w || !h || *w <= 0 || *h <= 0) continue;
        const auto clamp = [](double v, int limit) {
            return static_cast<int>(std::max(0.0, std::min<double>(v, limit)));
        };
        const int left = clamp(*x * scale_x, image.width), top = clamp(*y * scale_y, image.height);
        const int right = clamp((*x + *w) * scale_x, image.width);
        const int bottom = clamp((*y + *h) * scale_y, image.height);
        if (right <= left || bottom <= top) continue;
        SheetItem item;
        item.id =
            static_cast<int>(number_in(sprite, "id").value_or(static_cast<double>(items.size())));
        item.name = text_in(sprite, "name").value_or("");
        item.slug = slug_of(item.name, item.id);
        item.image = crop(image, left, top, right - left, bottom - top);
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace rdmcp::tools
