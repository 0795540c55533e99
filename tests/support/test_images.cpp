#include "tests/support/test_images.h"

#include <gif_lib.h>
#include <png.h>

#include <stdexcept>
#include <vector>

#include "common/base64.h"

namespace rdmcp::testing {

namespace {

std::string big_endian_32(unsigned v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string encode_png(int width, int height, png_uint_32 format,
                       const std::vector<unsigned char>& pixels) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(width);
    image.height = static_cast<png_uint_32>(height);
    image.format = format;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr)) {
        throw std::runtime_error(image.message);
    }
    std::string bytes(size, '\0');
    if (!png_image_write_to_memory(&image, bytes.data(), &size, 0, pixels.data(), 0, nullptr)) {
        throw std::runtime_error(image.message);
    }
    bytes.resize(size);
    return base64_encode(bytes);
}

int append_gif_bytes(GifFileType* gif, const GifByteType* data, int length) {
    static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), length);
    return length;
}

}  // namespace

std::string rgba_png_base64(int width, int height, const PixelValue& alpha) {
    std::vector<unsigned char> pixels;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            pixels.insert(pixels.end(), {255, 0, 0, alpha(x, y)});
        }
    }
    return encode_png(width, height, PNG_FORMAT_RGBA, pixels);
}

std::string gray_png_base64(int width, int height, const PixelValue& gray) {
    std::vector<unsigned char> pixels;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) pixels.push_back(gray(x, y));
    }
    return encode_png(width, height, PNG_FORMAT_GRAY, pixels);
}

std::string rgb_png_base64(int width, int height) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3, 200);
    return encode_png(width, height, PNG_FORMAT_RGB, pixels);
}

std::string gif_base64(int width, int height, int frames) {
    std::string bytes;
    int error = 0;
    GifFileType* gif = EGifOpen(&bytes, append_gif_bytes, &error);
    if (!gif) throw std::runtime_error("EGifOpen failed");
    GifColorType colors[2] = {{0, 0, 0}, {255, 255, 255}};
    ColorMapObject* map = GifMakeMapObject(2, colors);
    EGifSetGifVersion(gif, true);
    EGifPutScreenDesc(gif, width, height, 1, 0, map);
    std::vector<GifPixelType> row(width);
    for (int frame = 0; frame < frames; ++frame) {
        EGifPutImageDesc(gif, 0, 0, width, height, false, nullptr);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) row[x] = static_cast<GifPixelType>((x + y + frame) % 2);
            EGifPutLine(gif, row.data(), width);
        }
    }
    EGifCloseFile(gif, &error);
    GifFreeMapObject(map);
    return base64_encode(bytes);
}

PixelValue rectangle(int x0, int y0, int x1, int y1) {
    return [=](int x, int y) -> unsigned char {
        return x >= x0 && x < x1 && y >= y0 && y < y1 ? 255 : 0;
    };
}

std::string png_header(unsigned width, unsigned height, std::size_t padding) {
    return std::string("\x89PNG\r\n\x1a\n", 8) + big_endian_32(13) + "IHDR" + big_endian_32(width) +
           big_endian_32(height) + std::string("\x08\x06\0\0\0", 5) + big_endian_32(0) +
           std::string(padding, '\0');
}

std::string png_header_base64(unsigned width, unsigned height, std::size_t padding) {
    return base64_encode(png_header(width, height, padding));
}

}  // namespace rdmcp::testing
