#include "sim_edit_image.h"

#include <gif_lib.h>
#include <png.h>

#include <cstring>
#include <memory>
#include <vector>

#include "sim_base64.h"

namespace rdsim {
namespace {

using Problem = EditImageResult::Problem;

EditImageResult invalid(std::string why) {
    return {Problem::Invalid, std::nullopt, std::move(why)};
}

// libpng's simplified API reads the whole image; any damage (bad zlib stream, short data,
// CRC) makes it fail.
bool decode_png(std::string_view bytes, std::string& why) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
        why = std::string("is not a readable PNG: ") + image.message;
        return false;
    }
    image.format = PNG_FORMAT_RGBA;
    std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
        why = std::string("is not a readable PNG: ") + image.message;
        png_image_free(&image);
        return false;
    }
    return true;
}

struct GifSource {
    std::string_view bytes;
    std::size_t at = 0;
};

int read_gif_bytes(GifFileType* gif, GifByteType* out, int wanted) {
    auto* src = static_cast<GifSource*>(gif->UserData);
    const std::size_t n =
        std::min<std::size_t>(static_cast<std::size_t>(wanted), src->bytes.size() - src->at);
    std::memcpy(out, src->bytes.data() + src->at, n);
    src->at += n;
    return static_cast<int>(n);
}

// Decodes every frame one line at a time (memory stays at one line) and counts them; stops
// once there are more than max_frames.
EditImageResult decode_gif(std::string_view bytes, const ImageInfo& info, int max_frames) {
    GifSource src{bytes};
    int error = 0;
    std::unique_ptr<GifFileType, void (*)(GifFileType*)> gif(DGifOpen(&src, read_gif_bytes, &error),
                                                             [](GifFileType* g) {
                                                                 int ignored = 0;
                                                                 DGifCloseFile(g, &ignored);
                                                             });
    if (!gif) return invalid(std::string("is not a readable GIF: ") + GifErrorString(error));
    const auto damaged = [&] {
        return invalid(std::string("is not a readable GIF: ") + GifErrorString(gif->Error));
    };
    int frames = 0;
    std::vector<GifPixelType> line;
    for (GifRecordType type = UNDEFINED_RECORD_TYPE; type != TERMINATE_RECORD_TYPE;) {
        if (DGifGetRecordType(gif.get(), &type) == GIF_ERROR) return damaged();
        if (type == IMAGE_DESC_RECORD_TYPE) {
            if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return damaged();
            const GifImageDesc& d = gif->Image;
            if (d.Width <= 0 || d.Height <= 0 || d.Left + d.Width > gif->SWidth ||
                d.Top + d.Height > gif->SHeight)
                return invalid("is not a readable GIF: a frame lies outside the image");
            if (++frames > max_frames) return {Problem::TooManyFrames, EditImage{info, frames}, {}};
            line.resize(static_cast<std::size_t>(d.Width));
            for (int y = 0; y < d.Height; ++y)
                if (DGifGetLine(gif.get(), line.data(), d.Width) == GIF_ERROR) return damaged();
        } else if (type == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif.get(), &code, &block) == GIF_ERROR) return damaged();
            while (block != nullptr)
                if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR) return damaged();
        }
    }
    if (frames == 0) return invalid("is a GIF without any frame");
    return {Problem::None, EditImage{info, frames}, {}};
}

}  // namespace

EditImageResult read_edit_image(std::string_view text, int max_side, int max_frames) {
    if (text.substr(0, 5) == "data:") {
        const auto comma = text.find(',');
        if (comma == std::string_view::npos ||
            text.substr(0, comma).find(";base64") == std::string_view::npos)
            return invalid("is a data URI that is not base64 encoded");
        text.remove_prefix(comma + 1);
    }
    const auto bytes = base64_decode(text);
    if (!bytes) return invalid("is not valid base64");
    const ProbeResult probe = probe_image(*bytes);
    if (!probe.info) return invalid(probe.error);
    const ImageInfo& info = *probe.info;
    if (max_side > 0 && (info.width > max_side || info.height > max_side))
        return {Problem::TooLarge, EditImage{info, 1}, {}};
    if (info.format == "gif") return decode_gif(*bytes, info, max_frames);
    std::string why;
    if (info.format == "png" && !decode_png(*bytes, why)) return invalid(why);
    return {Problem::None, EditImage{info, 1}, {}};
}

}  // namespace rdsim
