#include "tools/image_codec.h"

#include <algorithm>
#include <csetjmp>
#include <cstring>
#include <memory>
#include <optional>

#include "tools/image_memory_io.h"

namespace rdmcp::tools {

namespace {

std::string dimensions(long long width, long long height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

// Empty when an image (or one frame) of that size may be decoded.
std::string size_problem(const std::string& what, long long width, long long height,
                         const DecodeLimits& limits) {
    const std::string size = dimensions(width, height);
    if (width <= 0 || height <= 0) return what + " is " + size + " pixels: it holds no pixels";
    if (width > limits.max_side || height > limits.max_side) {
        return what + " is " + size + " pixels; at most " + std::to_string(limits.max_side) +
               " on a side are read";
    }
    if (width * height > limits.max_pixels) {
        return what + " is " + size + " pixels (" + std::to_string(width * height) + "); at most " +
               std::to_string(limits.max_pixels) + " pixels are read";
    }
    return {};
}

// --- PNG ------------------------------------------------------------------------------------

// Everything between setjmp and a longjmp lives in plain objects owned by the caller, so the
// jump skips no destructor.
struct PngDecode {
    png_structp png = nullptr;
    png_infop info = nullptr;
    MemoryReader reader;
    const DecodeLimits* limits = nullptr;
    std::string problem;  // libpng's message, or ours
    RgbaImage image;
    std::vector<png_bytep> rows;
};

bool read_png(PngDecode& d) {
    if (setjmp(png_jmpbuf(d.png))) return false;
    png_set_read_fn(d.png, &d.reader, read_png_bytes);
    // Our limits decide, with a sentence that gives the size; libpng's own stay out of the way.
    png_set_user_limits(d.png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_read_info(d.png, d.info);
    const png_uint_32 width = png_get_image_width(d.png, d.info);
    const png_uint_32 height = png_get_image_height(d.png, d.info);
    d.problem = size_problem("the PNG", width, height, *d.limits);
    if (!d.problem.empty()) return false;
    // Palette to RGB, gray below 8 bits to 8, tRNS to alpha; 16 bits scaled (rounded) to 8;
    // gray to RGB; an opaque alpha where there is none: RGBA8 whatever came in.
    png_set_expand(d.png);
    png_set_scale_16(d.png);
    png_set_gray_to_rgb(d.png);
    png_set_add_alpha(d.png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(d.png);
    png_read_update_info(d.png, d.info);
    const std::size_t row_bytes = std::size_t{width} * 4;
    if (png_get_rowbytes(d.png, d.info) != row_bytes) {
        d.problem = "the PNG's pixels do not convert to RGBA8";
        return false;
    }
    d.image.width = static_cast<int>(width);
    d.image.height = static_cast<int>(height);
    d.image.pixels.resize(row_bytes * height);
    d.rows.resize(height);
    for (png_uint_32 y = 0; y < height; ++y) d.rows[y] = d.image.pixels.data() + y * row_bytes;
    png_read_image(d.png, d.rows.data());
    // The chunks after the image data (and IEND) are not needed: viewers show a PNG without them.
    return true;
}

std::string png_problem(const PngDecode& d) {
    if (d.problem.rfind("the ", 0) == 0) return d.problem;  // ours
    if (d.problem.empty()) return "the PNG cannot be read";
    return "the PNG cannot be read (libpng: " + d.problem + ")";
}

// --- GIF ------------------------------------------------------------------------------------

struct GifCloser {
    void operator()(GifFileType* gif) const {
        int error = 0;
        DGifCloseFile(gif, &error);
    }
};
using GifHandle = std::unique_ptr<GifFileType, GifCloser>;

std::string gif_problem(int error) {
    switch (error) {
        case D_GIF_ERR_READ_FAILED:
            return "the GIF ends early";
        case D_GIF_ERR_NOT_GIF_FILE:
            return "the bytes are not a GIF (no GIF87a or GIF89a signature)";
        default: {
            const char* message = GifErrorString(error);
            return std::string("the GIF cannot be read (giflib: ") +
                   (message ? message : "error " + std::to_string(error)) + ")";
        }
    }
}

GraphicsControlBlock no_control() {
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSAL_UNSPECIFIED;
    control.UserInputFlag = false;
    control.DelayTime = 0;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    return control;
}

// Composites the frames on a screen-sized canvas record by record, as a viewer does.
class GifDecoder {
  public:
    GifDecoder(GifFileType* gif, const MemoryReader& reader, const DecodeLimits& limits)
        : gif_(gif), reader_(reader), limits_(limits) {}

    std::variant<std::vector<AnimationFrame>, std::string> run() {
        const long long width = gif_->SWidth, height = gif_->SHeight;
        if (auto problem = size_problem("the GIF", width, height, limits_); !problem.empty()) {
            return problem;
        }
        screen_pixels_ = width * height;
        canvas_.width = static_cast<int>(width);
        canvas_.height = static_cast<int>(height);
        for (;;) {
            GifRecordType type = UNDEFINED_RECORD_TYPE;
            if (DGifGetRecordType(gif_, &type) == GIF_ERROR) {
                // Many GIFs stop after their last frame without the trailer; viewers show them.
                if (!frames_.empty() && reader_.at_end()) break;
                return gif_problem(gif_->Error);
            }
            if (type == TERMINATE_RECORD_TYPE) break;
            std::string problem;
            if (type == IMAGE_DESC_RECORD_TYPE) {
                problem = read_frame();
            } else if (type == EXTENSION_RECORD_TYPE) {
                problem = read_extension();
            }
            if (!problem.empty()) return problem;
        }
        if (frames_.empty()) return std::string("the GIF holds no frames");
        return std::move(frames_);
    }

  private:
    std::string read_extension() {
        int code = 0;
        GifByteType* block = nullptr;
        if (DGifGetExtension(gif_, &code, &block) == GIF_ERROR) return gif_problem(gif_->Error);
        if (code == GRAPHICS_EXT_FUNC_CODE && block &&
            DGifExtensionToGCB(block[0], block + 1, &control_) == GIF_OK) {
            has_control_ = true;
        }
        while (block) {
            if (DGifGetExtensionNext(gif_, &block) == GIF_ERROR) return gif_problem(gif_->Error);
        }
        return {};
    }

    // Frame count and total pixels, checked before the frame is decoded or stored.
    std::string frame_limits(const GifImageDesc& desc) {
        const std::size_t count = frames_.size() + 1;
        if (count > static_cast<std::size_t>(limits_.max_frames)) {
            return "the GIF has more than " + std::to_string(limits_.max_frames) +
                   " frames; at most " + std::to_string(limits_.max_frames) + " are read";
        }
        const std::string what = "frame " + std::to_string(count) + " of the GIF";
        const long long area = static_cast<long long>(desc.Width) * desc.Height;
        if (area > 0) {
            if (auto problem = size_problem(what, desc.Width, desc.Height, limits_);
                !problem.empty()) {
                return problem;
            }
        }
        decoded_pixels_ += area;
        if (static_cast<long long>(count) * screen_pixels_ > limits_.max_total_pixels ||
            decoded_pixels_ > limits_.max_total_pixels) {
            return "the GIF's frames come to more than " +
                   std::to_string(limits_.max_total_pixels) + " pixels in all (" +
                   std::to_string(count) + " frames of " +
                   dimensions(canvas_.width, canvas_.height) + " so far); at most " +
                   std::to_string(limits_.max_total_pixels) + " are read";
        }
        return {};
    }

    std::string read_frame() {
        if (DGifGetImageDesc(gif_) == GIF_ERROR) return gif_problem(gif_->Error);
        const GifImageDesc desc = gif_->Image;
        if (auto problem = frame_limits(desc); !problem.empty()) return problem;
        const ColorMapObject* map = desc.ColorMap ? desc.ColorMap : gif_->SColorMap;
        if (!map) {
            return "frame " + std::to_string(frames_.size() + 1) +
                   " of the GIF has no colour table (neither its own nor a global one)";
        }
        const GraphicsControlBlock control = has_control_ ? control_ : no_control();
        has_control_ = false;
        if (canvas_.pixels.empty()) canvas_.pixels.assign(screen_pixels_ * 4, 0);
        std::vector<std::uint8_t> previous;
        if (control.DisposalMode == DISPOSE_PREVIOUS) previous = canvas_.pixels;

        if (auto problem = draw_pixels(desc, *map, control.TransparentColor); !problem.empty()) {
            return problem;
        }
        const int delay_ms = control.DelayTime > 0 ? control.DelayTime * 10 : 100;
        frames_.push_back({canvas_, delay_ms});

        if (control.DisposalMode == DISPOSE_BACKGROUND) {
            clear(desc);
        } else if (control.DisposalMode == DISPOSE_PREVIOUS) {
            canvas_.pixels = std::move(previous);
        }
        return {};
    }

    std::string draw_pixels(const GifImageDesc& desc, const ColorMapObject& map, int transparent) {
        if (desc.Width <= 0 || desc.Height <= 0) return skip_image_data();
        std::vector<GifPixelType> line(static_cast<std::size_t>(desc.Width));
        const auto draw = [&](int y) -> std::string {
            if (DGifGetLine(gif_, line.data(), desc.Width) == GIF_ERROR) {
                return gif_problem(gif_->Error);
            }
            draw_line(desc, map, transparent, y, line);
            return {};
        };
        if (desc.Interlace) {
            // The four passes of an interlaced GIF: rows 0, 8, 16...; 4, 12...; 2, 6...; 1, 3...
            constexpr int kStart[] = {0, 4, 2, 1}, kStep[] = {8, 8, 4, 2};
            for (int pass = 0; pass < 4; ++pass) {
                for (int y = kStart[pass]; y < desc.Height; y += kStep[pass]) {
                    if (auto problem = draw(y); !problem.empty()) return problem;
                }
            }
        } else {
            for (int y = 0; y < desc.Height; ++y) {
                if (auto problem = draw(y); !problem.empty()) return problem;
            }
        }
        return {};
    }

    std::string skip_image_data() {
        int code_size = 0;
        GifByteType* block = nullptr;
        if (DGifGetCode(gif_, &code_size, &block) == GIF_ERROR) return gif_problem(gif_->Error);
        while (block) {
            if (DGifGetCodeNext(gif_, &block) == GIF_ERROR) return gif_problem(gif_->Error);
        }
        return {};
    }

    void draw_line(const GifImageDesc& desc, const ColorMapObject& map, int transparent, int y,
                   const std::vector<GifPixelType>& line) {
        const long long screen_y = static_cast<long long>(desc.Top) + y;
        if (screen_y < 0 || screen_y >= canvas_.height) return;
        for (int x = 0; x < desc.Width; ++x) {
            const long long screen_x = static_cast<long long>(desc.Left) + x;
            if (screen_x >= canvas_.width) break;
            const int index = line[static_cast<std::size_t>(x)];
            if (index == transparent || index >= map.ColorCount) continue;
            const GifColorType& color = map.Colors[index];
            std::uint8_t* pixel = canvas_.pixels.data() + (screen_y * canvas_.width + screen_x) * 4;
            pixel[0] = color.Red;
            pixel[1] = color.Green;
            pixel[2] = color.Blue;
            pixel[3] = 255;
        }
    }

    // Disposal 2: the frame's rectangle goes back to the (transparent) background.
    void clear(const GifImageDesc& desc) {
        const long long x0 = std::max<long long>(desc.Left, 0);
        const long long y0 = std::max<long long>(desc.Top, 0);
        const long long x1 =
            std::min<long long>(static_cast<long long>(desc.Left) + desc.Width, canvas_.width);
        const long long y1 =
            std::min<long long>(static_cast<long long>(desc.Top) + desc.Height, canvas_.height);
        for (long long y = y0; y < y1; ++y) {
            for (long long x = x0; x < x1; ++x) {
                std::memset(canvas_.pixels.data() + (y * canvas_.width + x) * 4, 0, 4);
            }
        }
    }

    GifFileType* gif_;
    const MemoryReader& reader_;
    DecodeLimits limits_;
    long long screen_pixels_ = 0;
    long long decoded_pixels_ = 0;
    RgbaImage canvas_;
    GraphicsControlBlock control_ = no_control();  // from the last Graphic Control Extension
    bool has_control_ = false;
    std::vector<AnimationFrame> frames_;
};

}  // namespace

std::variant<RgbaImage, std::string> decode_png(std::string_view bytes,
                                                const DecodeLimits& limits) {
    constexpr std::size_t kSignature = 8;
    if (bytes.size() < kSignature ||
        png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, kSignature) != 0) {
        return std::string("the bytes are not a PNG (no PNG signature)");
    }
    PngDecode d;
    d.reader.bytes = bytes;
    d.limits = &limits;
    d.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d.problem, on_png_error, on_png_warning);
    if (!d.png) return std::string("out of memory");
    d.info = png_create_info_struct(d.png);
    const bool ok = d.info && read_png(d);
    if (!ok && d.info) {
        // A header too large for the limits is the problem to report, even when the data
        // behind it is missing or damaged as well.
        const png_uint_32 width = png_get_image_width(d.png, d.info);
        const png_uint_32 height = png_get_image_height(d.png, d.info);
        if (width > 0 && height > 0) {
            if (auto problem = size_problem("the PNG", width, height, limits); !problem.empty()) {
                d.problem = std::move(problem);
            }
        }
    }
    png_destroy_read_struct(&d.png, d.info ? &d.info : nullptr, nullptr);
    if (!ok) return png_problem(d);
    return std::move(d.image);
}

std::string encode_png(const RgbaImage& image) {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 4) {
        return {};
    }
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(image.width);
    png.height = static_cast<png_uint_32>(image.height);
    png.format = PNG_FORMAT_RGBA;
    png_alloc_size_t size = 0;
    if (!png_image_write_get_memory_size(png, size, 0, image.pixels.data(), 0, nullptr)) {
        png_image_free(&png);
        return {};
    }
    std::string bytes(size, '\0');
    if (!png_image_write_to_memory(&png, bytes.data(), &size, 0, image.pixels.data(), 0, nullptr)) {
        png_image_free(&png);
        return {};
    }
    bytes.resize(size);
    return bytes;
}

std::variant<std::vector<AnimationFrame>, std::string> decode_gif(std::string_view bytes,
                                                                  const DecodeLimits& limits) {
    MemoryReader reader{bytes};
    int error = 0;
    GifHandle gif(DGifOpen(&reader, read_gif_bytes, &error));
    if (!gif) return gif_problem(error);
    return GifDecoder(gif.get(), reader, limits).run();
}

RgbaImage crop(const RgbaImage& image, int x, int y, int width, int height) {
    if (image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 4) return {};
    const long long x0 = std::max<long long>(x, 0);
    const long long y0 = std::max<long long>(y, 0);
    const long long x1 = std::min<long long>(static_cast<long long>(x) + width, image.width);
    const long long y1 = std::min<long long>(static_cast<long long>(y) + height, image.height);
    if (x1 <= x0 || y1 <= y0) return {};
    RgbaImage out;
    out.width = static_cast<int>(x1 - x0);
    out.height = static_cast<int>(y1 - y0);
    out.pixels.reserve(static_cast<std::size_t>(out.width) * out.height * 4);
    for (long long row = y0; row < y1; ++row) {
        const auto begin = image.pixels.begin() + (row * image.width + x0) * 4;
        out.pixels.insert(out.pixels.end(), begin, begin + out.width * 4);
    }
    return out;
}

}  // namespace rdmcp::tools
