#include "tools/image_memory_io.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace rdmcp::tools {

std::size_t MemoryReader::read(unsigned char* out, std::size_t wanted) {
    const std::size_t n = std::min(wanted, bytes.size() - offset);
    std::memcpy(out, bytes.data() + offset, n);
    offset += n;
    return n;
}

void read_png_bytes(png_structp png, png_bytep out, png_size_t length) {
    auto* reader = static_cast<MemoryReader*>(png_get_io_ptr(png));
    if (reader->read(out, length) != length) png_error(png, "the PNG ends early");
}

void on_png_error(png_structp png, png_const_charp message) {
    auto* problem = static_cast<std::string*>(png_get_error_ptr(png));
    *problem = message ? message : "unreadable PNG";
    png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}

int read_gif_bytes(GifFileType* gif, GifByteType* out, int length) {
    auto* reader = static_cast<MemoryReader*>(gif->UserData);
    return static_cast<int>(reader->read(out, length < 0 ? 0 : static_cast<std::size_t>(length)));
}

}  // namespace rdmcp::tools
