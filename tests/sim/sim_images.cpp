#include "sim_images.h"

#include <algorithm>

#include "sim_checksums.h"

namespace rdsim {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

void put_be32(std::string& out, std::uint32_t v) {
    out += char(v >> 24);
    out += char(v >> 16);
    out += char(v >> 8);
    out += char(v);
}
void put_le16(std::string& out, unsigned v) {
    out += char(v & 0xFF);
    out += char((v >> 8) & 0xFF);
}

void put_chunk(std::string& out, const char* type, const std::string& data) {
    put_be32(out, static_cast<std::uint32_t>(data.size()));
    std::string body(type, 4);
    body += data;
    out += body;
    put_be32(out, crc32(body));
}

// A zlib stream made of stored deflate blocks (at most 65535 bytes each).
std::string zlib_stored(const std::string& raw) {
    std::string out("\x78\x01", 2);
    std::size_t at = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
        const bool final = at + n == raw.size();
        out += char(final ? 1 : 0);
        put_le16(out, unsigned(n));
        put_le16(out, unsigned(~n & 0xFFFF));
        out.append(raw, at, n);
        at += n;
    } while (at < raw.size());
    put_be32(out, adler32(raw));
    return out;
}

// LSB-first bit packer that emits GIF data sub-blocks of at most 255 bytes.
class GifBitWriter {
  public:
    void put(unsigned code, int width) {
        acc_ |= std::uint32_t(code) << nbits_;
        nbits_ += width;
        while (nbits_ >= 8) {
            bytes_ += char(acc_ & 0xFF);
            acc_ >>= 8;
            nbits_ -= 8;
        }
    }
    std::string finish() {
        if (nbits_ > 0) bytes_ += char(acc_ & 0xFF);
        std::string out;
        for (std::size_t at = 0; at < bytes_.size(); at += 255) {
            const std::size_t n = std::min<std::size_t>(255, bytes_.size() - at);
            out += char(n);
            out.append(bytes_, at, n);
        }
        out += '\0';
        return out;
    }

  private:
    std::string bytes_;
    std::uint32_t acc_ = 0;
    int nbits_ = 0;
};

// Every pixel is sent as a literal; a clear code every 12 literals keeps the decoder's table
// below 32 entries, so the code width stays 5 bits for the whole stream.
std::string lzw_literals(const std::vector<std::uint8_t>& pixels) {
    constexpr unsigned kClear = 16, kEnd = 17;
    constexpr int kWidth = 5, kRun = 12;
    GifBitWriter w;
    w.put(kClear, kWidth);
    int run = 0;
    for (std::uint8_t p : pixels) {
        if (run == kRun) {
            w.put(kClear, kWidth);
            run = 0;
        }
        w.put(p & 0x0F, kWidth);
        ++run;
    }
    w.put(kEnd, kWidth);
    return w.finish();
}

}  // namespace

Picture make_picture(int width, int height, std::uint64_t seed, bool transparent, int frame) {
    Picture p;
    p.width = width;
    p.height = height;
    p.transparent = transparent;
    for (std::size_t i = 0; i < p.palette.size(); ++i) {
        const std::uint64_t h = mix(seed * 31 + i);
        p.palette[i] = Rgb{std::uint8_t(h), std::uint8_t(h >> 8), std::uint8_t(h >> 16)};
    }
    const int cell = std::max(1, std::min(width, height) / 8);
    const double cx = width / 2.0, cy = height / 2.0;
    p.pixels.resize(std::size_t(width) * std::size_t(height));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const double dx = (x + 0.5 - cx) / cx, dy = (y + 0.5 - cy) / cy;
            std::uint8_t index = 0;
            if (!transparent || dx * dx + dy * dy <= 0.8) {
                const std::uint64_t h = mix(seed ^ mix(std::uint64_t(x / cell + frame) * 7919 +
                                                       std::uint64_t(y / cell) * 104729));
                index = std::uint8_t(1 + h % 15);
            }
            p.pixels[std::size_t(y) * width + x] = index;
        }
    }
    return p;
}

std::string encode_png(const Picture& p) {
    std::string out("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put_be32(ihdr, std::uint32_t(p.width));
    put_be32(ihdr, std::uint32_t(p.height));
    ihdr += std::string("\x08\x03\x00\x00\x00", 5);  // 8-bit indexed, no interlace
    put_chunk(out, "IHDR", ihdr);
    std::string plte;
    for (const Rgb& c : p.palette) {
        plte += char(c.r);
        plte += char(c.g);
        plte += char(c.b);
    }
    put_chunk(out, "PLTE", plte);
    if (p.transparent) put_chunk(out, "tRNS", std::string(1, '\0'));  // index 0 fully clear
    std::string raw;
    raw.reserve(std::size_t(p.width + 1) * std::size_t(p.height));
    for (int y = 0; y < p.height; ++y) {
        raw += '\0';  // filter: none
        raw.append(reinterpret_cast<const char*>(&p.pixels[std::size_t(y) * p.width]),
                   std::size_t(p.width));
    }
    put_chunk(out, "IDAT", zlib_stored(raw));
    put_chunk(out, "IEND", "");
    return out;
}

std::string encode_gif(const std::vector<Picture>& frames, int delay_centiseconds) {
    const Picture& first = frames.front();
    std::string out = "GIF89a";
    put_le16(out, unsigned(first.width));
    put_le16(out, unsigned(first.height));
    out += char(0xF3);  // global table of 16 colours, 8-bit colour resolution
    out += '\0';        // background index
    out += '\0';        // aspect ratio
    for (const Rgb& c : first.palette) {
        out += char(c.r);
        out += char(c.g);
        out += char(c.b);
    }
    out += std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19);  // loop forever
    for (const Picture& f : frames) {
        out += std::string("\x21\xF9\x04\x09", 4);  // restore-to-background, transparent index
        put_le16(out, unsigned(delay_centiseconds));
        out += '\0';  // transparent index 0
        out += '\0';
        out += '\x2C';
        put_le16(out, 0);
        put_le16(out, 0);
        put_le16(out, unsigned(f.width));
        put_le16(out, unsigned(f.height));
        out += '\0';    // no local table, not interlaced
        out += '\x04';  // LZW minimum code size for 16 colours
        out += lzw_literals(f.pixels);
    }
    out += '\x3B';
    return out;
}

std::string render_png(int width, int height, std::uint64_t seed, bool transparent) {
    return encode_png(make_picture(width, height, seed, transparent));
}

std::string render_gif(int width, int height, std::uint64_t seed, int frames) {
    std::vector<Picture> pictures;
    for (int i = 0; i < std::max(1, frames); ++i)
        pictures.push_back(make_picture(width, height, seed, true, i));
    return encode_gif(pictures, 10);
}

std::string render_spritesheet(int width, int height, std::uint64_t seed, int cols, int rows) {
    Picture sheet = make_picture(width * cols, height * rows, seed, true);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const Picture f = make_picture(width, height, seed, true, r * cols + c);
            for (int y = 0; y < height; ++y) {
                std::copy_n(&f.pixels[std::size_t(y) * width], width,
                            &sheet.pixels[(std::size_t(r) * height + y) * sheet.width +
                                          std::size_t(c) * width]);
            }
        }
    }
    return encode_png(sheet);
}

}  // namespace rdsim
