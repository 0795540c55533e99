// Whole images in memory: every kind of PNG to RGBA8 and back, GIF animations composited as a
// viewer shows them, limits before allocation, crop.
#include "tools/image_codec.h"

#include <doctest/doctest.h>
#include <gif_lib.h>
#include <png.h>
#include <zlib.h>

#include <array>
#include <csetjmp>
#include <optional>

#include "common/base64.h"
#include "tests/support/test_images.h"

using namespace rdmcp::tools;
using rdmcp::testing::bytes_of;

using Pixel = std::array<int, 4>;

// A failed check shows the pixels it compared.
template <>
struct doctest::StringMaker<Pixel> {
    static String convert(const Pixel& p) {
        return ("{" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ", " +
                std::to_string(p[2]) + ", " + std::to_string(p[3]) + "}")
            .c_str();
    }
};

namespace {

Pixel pixel_at(const RgbaImage& image, int x, int y) {
    const std::size_t i = (static_cast<std::size_t>(y) * image.width + x) * 4;
    return {image.pixels[i], image.pixels[i + 1], image.pixels[i + 2], image.pixels[i + 3]};
}

RgbaImage decoded_png(std::string_view bytes, const DecodeLimits& limits = {}) {
    auto result = decode_png(bytes, limits);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<RgbaImage>(std::move(result));
}

std::string png_error(std::string_view bytes, const DecodeLimits& limits = {}) {
    auto result = decode_png(bytes, limits);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

// --- PNGs of every kind, written with libpng's full interface --------------------------------

struct PngSpec {
    int width = 0, height = 0;
    int color_type = PNG_COLOR_TYPE_RGB;
    int bit_depth = 8;
    bool interlaced = false;
    std::vector<png_color> palette;
    std::vector<png_byte> palette_alpha;      // tRNS for a palette image
    std::optional<png_color_16> trns_color;   // tRNS for gray or RGB
    std::vector<std::vector<png_byte>> rows;  // packed as the file stores them
};

void append_png_bytes(png_structp png, png_bytep data, png_size_t length) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), length);
}

struct PngWrite {
    png_structp png = nullptr;
    png_infop info = nullptr;
    std::string out;
    std::vector<png_bytep> rows;
};

bool write_png_rows(PngWrite& w, PngSpec& spec) {
    if (setjmp(png_jmpbuf(w.png))) return false;
    png_set_write_fn(w.png, &w.out, append_png_bytes, nullptr);
    png_set_IHDR(w.png, w.info, spec.width, spec.height, spec.bit_depth, spec.color_type,
                 spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (!spec.palette.empty()) {
        png_set_PLTE(w.png, w.info, spec.palette.data(), static_cast<int>(spec.palette.size()));
    }
    if (!spec.palette_alpha.empty()) {
        png_set_tRNS(w.png, w.info, spec.palette_alpha.data(),
                     static_cast<int>(spec.palette_alpha.size()), nullptr);
    }
    if (spec.trns_color) png_set_tRNS(w.png, w.info, nullptr, 0, &*spec.trns_color);
    png_write_info(w.png, w.info);
    for (auto& row : spec.rows) w.rows.push_back(row.data());
    png_write_image(w.png, w.rows.data());  // interlacing, if any, is libpng's
    png_write_end(w.png, nullptr);
    return true;
}

std::string write_png(PngSpec spec) {
    PngWrite w;
    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    REQUIRE(w.png);
    w.info = png_create_info_struct(w.png);
    const bool ok = write_png_rows(w, spec);
    png_destroy_write_struct(&w.png, &w.info);
    REQUIRE(ok);
    return w.out;
}

// A 1x1 RGBA PNG whose IHDR claims another size (its CRC recomputed, so libpng believes it).
std::string png_claiming(png_uint_32 width, png_uint_32 height) {
    RgbaImage one{1, 1, {1, 2, 3, 255}};
    std::string png = encode_png(one);
    // Signature (8), IHDR length (4) and type (4), then width and height, big-endian.
    const auto put = [&](std::size_t at, png_uint_32 value) {
        for (int i = 0; i < 4; ++i) png[at + i] = static_cast<char>(value >> (24 - 8 * i));
    };
    put(16, width);
    put(20, height);
    const auto* chunk = reinterpret_cast<const Bytef*>(png.data() + 12);
    put(29, static_cast<png_uint_32>(crc32(crc32(0, nullptr, 0), chunk, 17)));
    return png;
}

RgbaImage gradient(int width, int height) {
    RgbaImage image{width, height, {}};
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            image.pixels.insert(
                image.pixels.end(),
                {static_cast<std::uint8_t>(x * 16), static_cast<std::uint8_t>(y * 16),
                 static_cast<std::uint8_t>(x ^ y), static_cast<std::uint8_t>(255 - x - y)});
        }
    }
    return image;
}

// --- GIFs written with giflib ----------------------------------------------------------------

struct GifFrameSpec {
    int left = 0, top = 0, width = 0, height = 0;
    std::vector<int> indices;  // row-major
    int disposal = DISPOSAL_UNSPECIFIED;
    int transparent = NO_TRANSPARENT_COLOR;
    int delay_cs = 0;
    bool interlaced = false;
    std::vector<GifColorType> local_colors;
};

int append_gif_bytes(GifFileType* gif, const GifByteType* data, int length) {
    static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), length);
    return length;
}

std::string write_gif(int width, int height, std::vector<GifColorType> global,
                      const std::vector<GifFrameSpec>& frames) {
    std::string bytes;
    int error = 0;
    GifFileType* gif = EGifOpen(&bytes, append_gif_bytes, &error);
    REQUIRE(gif);
    EGifSetGifVersion(gif, true);
    ColorMapObject* global_map =
        global.empty() ? nullptr : GifMakeMapObject(static_cast<int>(global.size()), global.data());
    REQUIRE(EGifPutScreenDesc(gif, width, height, 8, 0, global_map) == GIF_OK);
    for (const auto& frame : frames) {
        GraphicsControlBlock control{frame.disposal, false, frame.delay_cs, frame.transparent};
        GifByteType extension[4];
        const auto length = EGifGCBToExtension(&control, extension);
        REQUIRE(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length),
                                 extension) == GIF_OK);
        ColorMapObject* local = nullptr;
        std::vector<GifColorType> local_colors = frame.local_colors;
        if (!local_colors.empty()) {
            local = GifMakeMapObject(static_cast<int>(local_colors.size()), local_colors.data());
        }
        if (!local && gif->Image.ColorMap) {
            // giflib 5.2.1's EGifPutImageDesc drops the previous frame's copy of its local map
            // without freeing it when the next frame has none: freed here instead.
            GifFreeMapObject(gif->Image.ColorMap);
            gif->Image.ColorMap = nullptr;
        }
        REQUIRE(EGifPutImageDesc(gif, frame.left, frame.top, frame.width, frame.height,
                                 frame.interlaced, local) == GIF_OK);
        if (local) GifFreeMapObject(local);
        std::vector<int> order;  // rows in the order the file holds them
        if (frame.interlaced) {
            for (const auto& [start, step] : {std::pair{0, 8}, {4, 8}, {2, 4}, {1, 2}}) {
                for (int y = start; y < frame.height; y += step) order.push_back(y);
            }
        } else {
            for (int y = 0; y < frame.height; ++y) order.push_back(y);
        }
        std::vector<GifPixelType> line(frame.width);
        for (const int y : order) {
            for (int x = 0; x < frame.width; ++x) {
                line[x] = static_cast<GifPixelType>(frame.indices[y * frame.width + x]);
            }
            REQUIRE(EGifPutLine(gif, line.data(), frame.width) == GIF_OK);
        }
    }
    REQUIRE(EGifCloseFile(gif, &error) == GIF_OK);
    GifFreeMapObject(global_map);
    return bytes;
}

std::vector<AnimationFrame> decoded_gif(std::string_view bytes, const DecodeLimits& limits = {}) {
    auto result = decode_gif(bytes, limits);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<std::vector<AnimationFrame>>(std::move(result));
}

std::string gif_error(std::string_view bytes, const DecodeLimits& limits = {}) {
    auto result = decode_gif(bytes, limits);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

constexpr Pixel kClear{0, 0, 0, 0};
constexpr Pixel kBlack{0, 0, 0, 255};
constexpr Pixel kRed{255, 0, 0, 255};
constexpr Pixel kGreen{0, 255, 0, 255};
constexpr Pixel kBlue{0, 0, 255, 255};
constexpr Pixel kYellow{255, 255, 0, 255};
const std::vector<GifColorType> kRgbMap = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};

}  // namespace

TEST_CASE("An RGBA image survives encode_png and decode_png bit for bit") {
    const RgbaImage image = gradient(13, 7);  // odd sizes, every alpha from 255 down to 237
    const std::string png = encode_png(image);
    REQUIRE_FALSE(png.empty());
    CHECK(decoded_png(png) == image);

    CHECK(encode_png(RgbaImage{}).empty());
    CHECK(encode_png(RgbaImage{2, 2, {1, 2, 3}}).empty());  // pixels do not match the size
}

TEST_CASE("A palette PNG with tRNS decodes to its colours and their alpha") {
    PngSpec spec{.width = 3, .height = 1, .color_type = PNG_COLOR_TYPE_PALETTE};
    spec.palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    spec.palette_alpha = {255, 128};  // blue, past the tRNS entries, stays opaque
    spec.rows = {{0, 1, 2}};
    const RgbaImage image = decoded_png(write_png(spec));
    CHECK(image.width == 3);
    CHECK(image.height == 1);
    CHECK(pixel_at(image, 0, 0) == kRed);
    CHECK(pixel_at(image, 1, 0) == Pixel{0, 255, 0, 128});
    CHECK(pixel_at(image, 2, 0) == kBlue);

    // Four colours in two bits a pixel.
    PngSpec packed{.width = 4, .height = 1, .color_type = PNG_COLOR_TYPE_PALETTE, .bit_depth = 2};
    packed.palette = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    packed.rows = {{0b00011011}};
    const RgbaImage four = decoded_png(write_png(packed));
    CHECK(pixel_at(four, 0, 0) == kBlack);
    CHECK(pixel_at(four, 1, 0) == kRed);
    CHECK(pixel_at(four, 2, 0) == kGreen);
    CHECK(pixel_at(four, 3, 0) == kBlue);
}

TEST_CASE("Gray PNGs decode to gray RGB, low bit depths scaled up, a tRNS gray transparent") {
    PngSpec gray{.width = 2, .height = 1, .color_type = PNG_COLOR_TYPE_GRAY};
    gray.rows = {{7, 200}};
    gray.trns_color = png_color_16{0, 0, 0, 0, 7};  // gray value 7 is transparent
    const RgbaImage image = decoded_png(write_png(gray));
    CHECK(pixel_at(image, 0, 0) == Pixel{7, 7, 7, 0});
    CHECK(pixel_at(image, 1, 0) == Pixel{200, 200, 200, 255});

    PngSpec two_bits{.width = 4, .height = 1, .color_type = PNG_COLOR_TYPE_GRAY, .bit_depth = 2};
    two_bits.rows = {{0b00011011}};
    const RgbaImage levels = decoded_png(write_png(two_bits));
    CHECK(pixel_at(levels, 0, 0) == Pixel{0, 0, 0, 255});
    CHECK(pixel_at(levels, 1, 0) == Pixel{85, 85, 85, 255});
    CHECK(pixel_at(levels, 2, 0) == Pixel{170, 170, 170, 255});
    CHECK(pixel_at(levels, 3, 0) == Pixel{255, 255, 255, 255});
}

TEST_CASE("16-bit PNGs are scaled to 8 bits, rounding") {
    PngSpec rgb{.width = 1, .height = 1, .color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 16};
    rgb.rows = {{0xff, 0xff, 0x12, 0xff, 0x00, 0x80}};  // 65535, 4863 (18.9 x 257), 128
    CHECK(pixel_at(decoded_png(write_png(rgb)), 0, 0) == Pixel{255, 19, 0, 255});

    PngSpec gray_alpha{
        .width = 1, .height = 1, .color_type = PNG_COLOR_TYPE_GRAY_ALPHA, .bit_depth = 16};
    gray_alpha.rows = {{0x80, 0x80, 0x3f, 0xff}};  // 32896 (128 x 257), 16383 (63.7 x 257)
    CHECK(pixel_at(decoded_png(write_png(gray_alpha)), 0, 0) == Pixel{128, 128, 128, 64});
}

TEST_CASE("An interlaced PNG decodes to the same pixels as a plain one") {
    PngSpec plain{.width = 11, .height = 9, .color_type = PNG_COLOR_TYPE_RGB_ALPHA};
    const RgbaImage image = gradient(11, 9);
    for (int y = 0; y < 9; ++y) {
        plain.rows.emplace_back(image.pixels.begin() + y * 44, image.pixels.begin() + (y + 1) * 44);
    }
    PngSpec interlaced = plain;
    interlaced.interlaced = true;
    const std::string adam7 = write_png(interlaced);
    CHECK(adam7 != write_png(plain));
    CHECK(decoded_png(adam7) == image);
    CHECK(decoded_png(write_png(plain)) == image);
}

TEST_CASE("A PNG that is cut short, damaged or not a PNG is an error with a sentence") {
    const std::string png = encode_png(gradient(16, 16));
    CHECK(png_error(png.substr(0, png.size() / 2)) == "the PNG ends early");
    CHECK(png_error(png.substr(0, 20)) == "the PNG ends early");
    CHECK(png_error("GIF89a not a png") == "the bytes are not a PNG (no PNG signature)");
    CHECK(png_error("") == "the bytes are not a PNG (no PNG signature)");

    std::string damaged = png;
    damaged[damaged.size() / 2] ^= 0x55;  // inside IDAT: its CRC no longer matches
    CHECK(png_error(damaged).starts_with("the PNG cannot be read (libpng: "));
}

TEST_CASE("A PNG header claiming too many pixels is refused before any pixel is read") {
    // The 1x1 image's data would end the decode early: the size is what is reported.
    const std::string huge = png_claiming(100000, 100000);
    CHECK(png_error(huge) == "the PNG is 100000x100000 pixels; at most 4096 on a side are read");
    // Only the signature and the header: still the size, not the missing data.
    CHECK(png_error(huge.substr(0, 33)) ==
          "the PNG is 100000x100000 pixels; at most 4096 on a side are read");

    CHECK(png_error(png_claiming(4000, 4000), {.max_pixels = 1000000}) ==
          "the PNG is 4000x4000 pixels (16000000); at most 1000000 pixels are read");
    CHECK(png_error(encode_png(gradient(16, 16)), {.max_side = 15}) ==
          "the PNG is 16x16 pixels; at most 15 on a side are read");
    CHECK(decoded_png(encode_png(gradient(16, 16)), {.max_side = 16, .max_pixels = 256}).width ==
          16);
}

TEST_CASE("A GIF animation decodes to the frames a viewer shows") {
    // Frame 1 fills the screen red. Frame 2 draws a 2x2 patch (one pixel transparent) and is
    // then restored to what was before it (disposal 3). Frame 3 draws with its own colour map
    // and is then cleared to the background (disposal 2), so frame 4 shows a hole.
    const std::vector<GifColorType> local = {{255, 255, 0}, {9, 9, 9}};
    const std::string gif =
        write_gif(4, 4, kRgbMap,
                  {{.width = 4,
                    .height = 4,
                    .indices = std::vector<int>(16, 1),
                    .disposal = DISPOSE_DO_NOT,
                    .delay_cs = 20},
                   {.left = 1,
                    .top = 1,
                    .width = 2,
                    .height = 2,
                    .indices = {2, 0, 3, 2},
                    .disposal = DISPOSE_PREVIOUS,
                    .transparent = 0},
                   {.width = 2,
                    .height = 2,
                    .indices = {0, 0, 1, 0},
                    .disposal = DISPOSE_BACKGROUND,
                    .transparent = 1,
                    .delay_cs = 5,
                    .local_colors = local},
                   {.left = 3, .top = 3, .width = 1, .height = 1, .indices = {3}, .delay_cs = 1}});
    const auto frames = decoded_gif(gif);
    REQUIRE(frames.size() == 4);
    for (const auto& frame : frames) {
        CHECK(frame.image.width == 4);
        CHECK(frame.image.height == 4);
        CHECK(frame.image.pixels.size() == 4 * 4 * 4);
    }
    CHECK(frames[0].delay_ms == 200);
    CHECK(frames[1].delay_ms == 100);  // 0 in the file
    CHECK(frames[2].delay_ms == 50);
    CHECK(frames[3].delay_ms == 10);

    CHECK(pixel_at(frames[0].image, 0, 0) == kRed);
    CHECK(pixel_at(frames[0].image, 3, 3) == kRed);

    CHECK(pixel_at(frames[1].image, 1, 1) == kGreen);
    CHECK(pixel_at(frames[1].image, 2, 1) == kRed);  // transparent: frame 1 shows through
    CHECK(pixel_at(frames[1].image, 1, 2) == kBlue);
    CHECK(pixel_at(frames[1].image, 2, 2) == kGreen);
    CHECK(pixel_at(frames[1].image, 0, 0) == kRed);

    CHECK(pixel_at(frames[2].image, 0, 0) == kYellow);  // the local colour map
    CHECK(pixel_at(frames[2].image, 1, 1) == kYellow);
    CHECK(pixel_at(frames[2].image, 0, 1) == kRed);  // transparent in frame 3
    CHECK(pixel_at(frames[2].image, 2, 2) == kRed);  // frame 2's patch is gone

    CHECK(pixel_at(frames[3].image, 0, 0) == kClear);  // frame 3's rectangle went to background
    CHECK(pixel_at(frames[3].image, 0, 1) == kClear);
    CHECK(pixel_at(frames[3].image, 2, 2) == kRed);
    CHECK(pixel_at(frames[3].image, 3, 3) == kBlue);
}

TEST_CASE("A one-frame GIF decodes to one frame of its screen, with 100 ms") {
    const auto frames = decoded_gif(bytes_of(rdmcp::testing::gif_base64(16, 8, 1)));
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].image.width == 16);
    CHECK(frames[0].image.height == 8);
    CHECK(frames[0].delay_ms == 100);
    CHECK(pixel_at(frames[0].image, 0, 0) == kBlack);
    CHECK(pixel_at(frames[0].image, 1, 0) == Pixel{255, 255, 255, 255});
}

TEST_CASE("A frame smaller than the screen leaves the rest transparent; interlaced rows land") {
    std::vector<int> rows(3 * 10);
    for (int y = 0; y < 10; ++y) {
        for (int x = 0; x < 3; ++x) rows[y * 3 + x] = y % 4;
    }
    const std::string gif = write_gif(
        6, 12, kRgbMap,
        {{.left = 2, .top = 1, .width = 3, .height = 10, .indices = rows, .interlaced = true}});
    const auto frames = decoded_gif(gif);
    REQUIRE(frames.size() == 1);
    const RgbaImage& image = frames[0].image;
    CHECK(pixel_at(image, 0, 0) == kClear);
    CHECK(pixel_at(image, 5, 5) == kClear);
    for (int y = 0; y < 10; ++y) {
        const Pixel expected = std::array{kBlack, kRed, kGreen, kBlue}[y % 4];
        CHECK(pixel_at(image, 2, y + 1) == expected);
        CHECK(pixel_at(image, 4, y + 1) == expected);
    }
}

TEST_CASE("A frame reaching past the screen is clipped; a frame without colours is an error") {
    // giflib writes no such frame: the screen descriptor is made smaller afterwards.
    std::string past = write_gif(
        6, 4, kRgbMap,
        {{.left = 2, .top = 1, .width = 4, .height = 3, .indices = std::vector<int>(12, 2)}});
    past[6] = 3;  // logical screen width, little-endian
    past[8] = 2;  // height
    const auto frames = decoded_gif(past);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].image.width == 3);
    CHECK(frames[0].image.height == 2);
    CHECK(pixel_at(frames[0].image, 2, 1) == kGreen);
    CHECK(pixel_at(frames[0].image, 1, 1) == kClear);

    // Without its global colour table (flag and the four entries after the screen descriptor).
    std::string colourless =
        write_gif(2, 2, kRgbMap, {{.width = 2, .height = 2, .indices = {0, 1, 2, 3}}});
    colourless[10] = static_cast<char>(colourless[10] & 0x7f);
    colourless.erase(13, 4 * 3);
    CHECK(gif_error(colourless) ==
          "frame 1 of the GIF has no colour table (neither its own nor a global one)");
}

TEST_CASE("GIF limits: frames, total pixels and screen size are refused before decoding") {
    const std::string five = bytes_of(rdmcp::testing::gif_base64(4, 4, 5));
    CHECK(decoded_gif(five).size() == 5);
    CHECK(gif_error(five, {.max_frames = 3}) ==
          "the GIF has more than 3 frames; at most 3 are read");
    CHECK(gif_error(five, {.max_total_pixels = 40})
              .starts_with(
                  "the GIF's frames come to more than 40 pixels in all (3 frames of 4x4 so far)"));
    CHECK(gif_error(bytes_of(rdmcp::testing::gif_base64(5000, 2, 1))) ==
          "the GIF is 5000x2 pixels; at most 4096 on a side are read");
    CHECK(gif_error(five, {.max_pixels = 10}) ==
          "the GIF is 4x4 pixels (16); at most 10 pixels are read");
}

TEST_CASE("A GIF that is cut short or not a GIF is an error; one without its trailer is not") {
    const std::string gif = bytes_of(rdmcp::testing::gif_base64(32, 32, 2));
    CHECK(gif_error(gif.substr(0, gif.size() - 40)) == "the GIF ends early");
    CHECK(gif_error("PNG not a gif").starts_with("the bytes are not a GIF"));
    CHECK(gif_error("").starts_with("the "));
    CHECK(decoded_gif(gif.substr(0, gif.size() - 1)).size() == 2);  // ';' missing

    std::string no_frames;  // the header, the screen and the global colour map, then the trailer
    no_frames = gif.substr(0, 13 + 6) + ";";
    CHECK(gif_error(no_frames) == "the GIF holds no frames");
}

TEST_CASE("crop keeps the part of the rectangle inside the image") {
    const RgbaImage image = gradient(10, 8);
    const RgbaImage inside = crop(image, 2, 3, 4, 2);
    CHECK(inside.width == 4);
    CHECK(inside.height == 2);
    CHECK(pixel_at(inside, 0, 0) == pixel_at(image, 2, 3));
    CHECK(pixel_at(inside, 3, 1) == pixel_at(image, 5, 4));

    const RgbaImage clipped = crop(image, -3, 6, 5, 100);
    CHECK(clipped.width == 2);
    CHECK(clipped.height == 2);
    CHECK(pixel_at(clipped, 1, 1) == pixel_at(image, 1, 7));

    CHECK(crop(image, 0, 0, 10, 8) == image);
    CHECK(crop(image, 10, 0, 5, 5) == RgbaImage{});
    CHECK(crop(image, 2, 2, 0, 3) == RgbaImage{});
    CHECK(crop(image, 2147483000, 2147483000, 2147483000, 2147483000) == RgbaImage{});
}
