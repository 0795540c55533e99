#pragma once
// What libpng and giflib need to read an image from memory: a reader over the bytes and the
// callbacks that feed it to them, shared by every decoder here (image_pixels, image_codec).
#include <gif_lib.h>
#include <png.h>

#include <cstddef>
#include <string_view>

namespace rdmcp::tools {

struct MemoryReader {
    std::string_view bytes;
    std::size_t offset = 0;

    // Copies up to `wanted` bytes; fewer at the end.
    std::size_t read(unsigned char* out, std::size_t wanted);
    bool at_end() const { return offset == bytes.size(); }
};

// png_set_read_fn's callback; its io pointer is a MemoryReader. A short read is a libpng error.
void read_png_bytes(png_structp png, png_bytep out, png_size_t length);

// png_create_read_struct's error callback: keeps the message in the std::string given as the
// error pointer and jumps back (libpng reports errors by longjmp).
void on_png_error(png_structp png, png_const_charp message);
void on_png_warning(png_structp png, png_const_charp message);  // ignored

// DGifOpen's input function; the GIF's UserData is a MemoryReader.
int read_gif_bytes(GifFileType* gif, GifByteType* out, int length);

}  // namespace rdmcp::tools
