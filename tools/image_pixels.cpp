#include "tools/image_pixels.h"

#include <csetjmp>
#include <cstring>
#include <vector>

#include "tools/image_memory_io.h"

namespace rdmcp::tools {

namespace {

// Everything between setjmp and a longjmp lives in plain objects owned by the caller, so the
// jump skips no destructor.
struct PngRead {
    png_structp png = nullptr;
    png_infop info = nullptr;
    MemoryReader reader;
    std::vector<unsigned char> row;
    MaskCoverage coverage;
};

bool scan_png(PngRead& r) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_set_read_fn(r.png, &r.reader, read_png_bytes);
    png_read_info(r.png, r.info);
    const png_uint_32 width = png_get_image_width(r.png, r.info);
    const png_uint_32 height = png_get_image_height(r.png, r.info);
    // Palette and low-bit gray to 8 bits, tRNS to an alpha channel, 16 bits to 8: what remains
    // is gray, gray+alpha, RGB or RGBA, as the API's image library sees the mask.
    png_set_expand(r.png);
    png_set_strip_16(r.png);
    const int passes = png_get_interlace_type(r.png, r.info) == PNG_INTERLACE_ADAM7 ? 7 : 1;
    png_read_update_info(r.png, r.info);
    const int color = png_get_color_type(r.png, r.info);
    const int channels = png_get_channels(r.png, r.info);
    r.row.resize(png_get_rowbytes(r.png, r.info));
    auto& coverage = r.coverage;
    coverage.total = static_cast<long long>(width) * height;
    coverage.read = (color & PNG_COLOR_MASK_ALPHA) ? MaskCoverage::Read::Alpha
                    : color == PNG_COLOR_TYPE_GRAY ? MaskCoverage::Read::Gray
                                                   : MaskCoverage::Read::Opaque;
    if (coverage.read == MaskCoverage::Read::Opaque) {
        coverage.selected = coverage.total;
        return true;  // every pixel: no need to read them
    }
    const int sample = coverage.read == MaskCoverage::Read::Alpha ? channels - 1 : 0;
    // Without interlace handling an interlaced image comes as its seven sub-images, in which
    // every pixel appears exactly once: counting needs no more than one row.
    for (int pass = 0; pass < passes; ++pass) {
        const png_uint_32 rows = passes == 1 ? height : PNG_PASS_ROWS(height, pass);
        const png_uint_32 cols = passes == 1 ? width : PNG_PASS_COLS(width, pass);
        if (rows == 0 || cols == 0) continue;
        for (png_uint_32 y = 0; y < rows; ++y) {
            png_read_row(r.png, r.row.data(), nullptr);
            for (png_uint_32 x = 0; x < cols; ++x) {
                if (r.row[x * channels + sample] > kMaskThreshold) ++coverage.selected;
            }
        }
    }
    return true;
}

}  // namespace

std::optional<MaskCoverage> png_mask_coverage(std::string_view bytes, std::string& problem) {
    PngRead r;
    r.reader.bytes = bytes;
    r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &problem, on_png_error, on_png_warning);
    if (!r.png) {
        problem = "out of memory";
        return std::nullopt;
    }
    r.info = png_create_info_struct(r.png);
    const bool ok = r.info && scan_png(r);
    png_destroy_read_struct(&r.png, r.info ? &r.info : nullptr, nullptr);
    if (!ok) {
        if (problem.empty()) problem = "unreadable PNG";
        return std::nullopt;
    }
    return r.coverage;
}

std::optional<int> gif_frame_count(std::string_view bytes) {
    MemoryReader reader{bytes};
    int error = 0;
    GifFileType* gif = DGifOpen(&reader, read_gif_bytes, &error);
    if (!gif) return std::nullopt;
    int frames = 0;
    bool readable = true;
    // Two frames make it animated: no need to walk (and allocate for) the rest.
    while (readable && frames < 2) {
        GifRecordType record;
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) {
            readable = false;
            break;
        }
        if (record == TERMINATE_RECORD_TYPE) break;
        if (record == IMAGE_DESC_RECORD_TYPE) {
            if (DGifGetImageDesc(gif) == GIF_ERROR) {
                readable = false;
                break;
            }
            ++frames;
            int code_size = 0;
            GifByteType* block = nullptr;
            if (DGifGetCode(gif, &code_size, &block) == GIF_ERROR) readable = false;
            while (readable && block) {
                if (DGifGetCodeNext(gif, &block) == GIF_ERROR) readable = false;
            }
        } else if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) readable = false;
            while (readable && block) {
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) readable = false;
            }
        }
    }
    DGifCloseFile(gif, &error);
    if (!readable && frames == 0) return std::nullopt;
    return frames;
}

}  // namespace rdmcp::tools
