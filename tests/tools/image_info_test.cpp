#include "tools/image_info.h"

#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>

#include "common/base64.h"

using namespace rdmcp;
using namespace rdmcp::tools;

namespace {

// Hand-built headers: just the bytes each reader looks at, plus realistic neighbours.
std::string be16(unsigned v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
std::string le16(unsigned v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string le24(unsigned v) { return le16(v) + static_cast<char>(v >> 16); }
std::string be32(unsigned v) { return be16(v >> 16) + be16(v & 0xFFFF); }
std::string le32(unsigned v) { return le16(v & 0xFFFF) + le16(v >> 16); }

const std::string kPngSignature("\x89PNG\r\n\x1a\n", 8);

std::string png(unsigned width, unsigned height) {
    // IHDR: width, height, bit depth 8, colour type 6 (RGBA), compression, filter, interlace; CRC
    return kPngSignature + be32(13) + "IHDR" + be32(width) + be32(height) +
           std::string("\x08\x06\0\0\0", 5) + be32(0x12345678) + be32(0) + "IEND" +
           be32(0xAE426082);
}

std::string gif(const char* version, unsigned width, unsigned height) {
    return std::string(version) + le16(width) + le16(height) + std::string("\xF7\0\0", 3);
}

std::string jpeg_segment(unsigned char marker, const std::string& body) {
    return std::string("\xFF") + static_cast<char>(marker) +
           be16(static_cast<unsigned>(body.size() + 2)) + body;
}

std::string sof(unsigned char marker, unsigned width, unsigned height) {
    // precision 8, height, width, 3 components of 3 bytes
    return jpeg_segment(marker, std::string("\x08") + be16(height) + be16(width) + "\x03" +
                                    std::string("\x01\x22\x00\x02\x11\x01\x03\x11\x01", 9));
}

const std::string kSoi("\xFF\xD8", 2);
const std::string kApp0 = jpeg_segment(0xE0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14));
// A Huffman table whose bytes, read as if it were a frame header, would say 4660 x 22136.
const std::string kDht = jpeg_segment(0xC4, std::string("\x00\x12\x34\x56\x78\x01\x02\x03", 8));

std::string jpeg(unsigned width, unsigned height, unsigned char sof_marker = 0xC0) {
    return kSoi + kApp0 + kDht + sof(sof_marker, width, height) +
           jpeg_segment(0xDA, std::string(10, '\0'));
}

std::string riff(const std::string& chunks) {
    return "RIFF" + le32(static_cast<unsigned>(chunks.size() + 4)) + "WEBP" + chunks;
}

std::string webp_lossy(unsigned width, unsigned height) {
    const std::string data = std::string("\x30\x01\x00\x9d\x01\x2a", 6) + le16(width) +
                             le16(height) + std::string(8, '\0');
    return riff("VP8 " + le32(static_cast<unsigned>(data.size())) + data);
}

std::string webp_lossless(unsigned width, unsigned height) {
    const unsigned bits = (width - 1) | ((height - 1) << 14);  // then alpha and version bits, zero
    // Appended, not "\x2f" + le32(...): GCC 12 at -O3 warns falsely (-Wrestrict) about a literal +
    // std::string&& (GCC bugs 105329, 105651).
    std::string data = "\x2f";
    data += le32(bits);
    data.append(8, '\0');
    return riff("VP8L" + le32(static_cast<unsigned>(data.size())) + data);
}

std::string webp_extended(unsigned width, unsigned height) {
    const std::string data = std::string("\x10\0\0\0", 4) + le24(width - 1) + le24(height - 1);
    return riff("VP8X" + le32(static_cast<unsigned>(data.size())) + data);
}

ImageInfo info(const char* mime, int width, int height) { return ImageInfo{mime, width, height}; }

// Copies into a heap block of exactly that size, so AddressSanitizer catches a read one past it
// (a std::string has spare capacity that would hide it).
std::optional<ImageInfo> read_exact(std::string_view bytes) {
    std::unique_ptr<char[]> block(new char[bytes.size() + (bytes.empty() ? 1 : 0)]);
    std::copy(bytes.begin(), bytes.end(), block.get());
    return read_image_info(std::string_view(block.get(), bytes.size()));
}

}  // namespace

TEST_CASE("PNG: the IHDR after the signature") {
    CHECK(read_image_info(png(640, 480)) == info("image/png", 640, 480));
    CHECK(read_image_info(png(1, 1)) == info("image/png", 1, 1));
}

TEST_CASE("GIF: both versions' logical screen") {
    CHECK(read_image_info(gif("GIF89a", 64, 48)) == info("image/gif", 64, 48));
    CHECK(read_image_info(gif("GIF87a", 65535, 1)) == info("image/gif", 65535, 1));
    CHECK_FALSE(read_image_info(gif("GIF88a", 64, 48)));
}

TEST_CASE("JPEG: the first frame header, skipping tables that share its marker range") {
    CHECK(read_image_info(jpeg(800, 600)) == info("image/jpeg", 800, 600));
    CHECK(read_image_info(jpeg(1024, 768, 0xC2)) == info("image/jpeg", 1024, 768));  // progressive
    CHECK(read_image_info(jpeg(16, 16, 0xCF)) == info("image/jpeg", 16, 16));
    // DAC (CC) and JPG (C8) are not frames either.
    const auto dac = jpeg_segment(0xCC, std::string("\x00\x12\x34\x56\x78", 5));
    const auto jpg = jpeg_segment(0xC8, std::string("\x00\x12\x34\x56\x78", 5));
    CHECK(read_image_info(kSoi + dac + jpg + sof(0xC1, 32, 24)) == info("image/jpeg", 32, 24));
}

TEST_CASE("JPEG: fill bytes and parameterless markers between segments") {
    const std::string fill("\xFF\xFF", 2);
    const std::string restart("\xFF\xD0", 2);
    CHECK(read_image_info(kSoi + kApp0 + fill + restart + sof(0xC0, 5, 7)) ==
          info("image/jpeg", 5, 7));
}

TEST_CASE("WEBP: lossy, lossless and extended") {
    CHECK(read_image_info(webp_lossy(320, 200)) == info("image/webp", 320, 200));
    CHECK(read_image_info(webp_lossy(0x4000 | 320, 200)) ==
          info("image/webp", 320, 200));  // scale bits
    CHECK(read_image_info(webp_lossless(16384, 3)) == info("image/webp", 16384, 3));
    CHECK(read_image_info(webp_extended(16777216, 2)) == info("image/webp", 16777216, 2));
}

TEST_CASE("not images") {
    CHECK_FALSE(read_image_info(""));
    CHECK_FALSE(read_image_info("hello, world"));
    CHECK_FALSE(read_image_info("<html><body>404</body></html>"));
    CHECK_FALSE(read_image_info("BM\x36\x00"));  // BMP: not accepted by the API
    CHECK_FALSE(read_image_info(riff("WAVEfmt ")));
    CHECK_FALSE(read_image_info(riff("VP8Q" + le32(10) + std::string(10, '\0'))));
}

TEST_CASE("inconsistent headers are rejected") {
    CHECK_FALSE(read_image_info(png(0, 10)));
    CHECK_FALSE(read_image_info(png(10, 0)));
    CHECK_FALSE(read_image_info(png(0x80000000u, 10)));  // beyond what PNG allows
    auto wrong_chunk = png(10, 10);
    wrong_chunk.replace(12, 4, "IDAT");
    CHECK_FALSE(read_image_info(wrong_chunk));
    CHECK_FALSE(read_image_info(gif("GIF89a", 0, 0)));
    CHECK_FALSE(read_image_info(jpeg(100, 0)));  // height given later by DNL
    auto lossy_no_start_code = webp_lossy(10, 10);
    lossy_no_start_code[23] = 0;
    CHECK_FALSE(read_image_info(lossy_no_start_code));
    auto lossless_no_signature = webp_lossless(10, 10);
    lossless_no_signature[20] = 0;
    CHECK_FALSE(read_image_info(lossless_no_signature));
}

TEST_CASE("hostile lengths are never followed past the buffer") {
    auto huge_ihdr = png(10, 10);
    huge_ihdr.replace(8, 4, be32(0xFFFFFFFF));
    CHECK_FALSE(read_exact(huge_ihdr));

    // A segment claiming 65535 bytes in a 30-byte file.
    CHECK_FALSE(read_exact(kSoi + "\xFF\xE1\xFF\xFF" + std::string(26, 'x')));
    // Lengths too small to cover themselves or a frame header.
    CHECK_FALSE(read_exact(kSoi + std::string("\xFF\xE0\x00\x01", 4) + sof(0xC0, 1, 1)));
    CHECK_FALSE(read_exact(kSoi + std::string("\xFF\xC0\x00\x05\x08\x00\x01\x00\x01", 9)));
    // Image data before any frame header, and the end before one.
    CHECK_FALSE(read_exact(kSoi + kApp0 + jpeg_segment(0xDA, "x") + sof(0xC0, 1, 1)));
    CHECK_FALSE(read_exact(kSoi + std::string("\xFF\xD9", 2) + sof(0xC0, 1, 1)));
    // Garbage where a marker should be, and nothing but fill bytes.
    CHECK_FALSE(read_exact(kSoi + "\x12\x34" + sof(0xC0, 1, 1)));
    CHECK_FALSE(read_exact(kSoi + std::string(1000, '\xFF')));
    // A RIFF size far beyond the data.
    auto lying_riff = webp_extended(10, 10);
    lying_riff.replace(4, 4, le32(0xFFFFFFF0));
    CHECK(read_exact(lying_riff) == info("image/webp", 10, 10));
}

TEST_CASE("every truncation of every format is read safely") {
    const std::string images[] = {png(640, 480),         gif("GIF89a", 64, 48),
                                  jpeg(800, 600),        webp_lossy(320, 200),
                                  webp_lossless(99, 77), webp_extended(512, 256)};
    for (const auto& image : images) {
        const auto full = read_image_info(image);
        REQUIRE(full);
        for (std::size_t length = 0; length < image.size(); ++length) {
            CAPTURE(length);
            const auto partial = read_exact(std::string_view(image).substr(0, length));
            CHECK((!partial || partial == full));  // never a wrong answer, never a crash
        }
    }
}

TEST_CASE("randomly corrupted headers are read safely") {
    // Not a correctness check (a flipped byte may still be a valid header): under the
    // sanitizers it shows that no corruption leads outside the buffer.
    std::mt19937 rng(12345);
    const std::string images[] = {png(640, 480),         gif("GIF89a", 64, 48),
                                  jpeg(800, 600),        webp_lossy(320, 200),
                                  webp_lossless(99, 77), webp_extended(512, 256)};
    for (const auto& image : images) {
        for (int round = 0; round < 2000; ++round) {
            std::string corrupted = image;
            for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips) {
                corrupted[rng() % corrupted.size()] = static_cast<char>(rng() & 0xFF);
            }
            corrupted.resize(rng() % (corrupted.size() + 1));
            (void)read_exact(corrupted);
        }
    }
}

TEST_CASE("sniff_image_mime names the format even when the header is damaged") {
    CHECK(sniff_image_mime(kPngSignature) == "image/png");
    CHECK(sniff_image_mime("GIF89a") == "image/gif");
    CHECK(sniff_image_mime(kSoi + "\xFF") == "image/jpeg");
    CHECK(sniff_image_mime(riff("")) == "image/webp");
    CHECK_FALSE(sniff_image_mime("%PDF-1.7"));
    CHECK_FALSE(read_image_info(kPngSignature));
}

TEST_CASE("base64: only a prefix is decoded") {
    const auto image = png(256, 128) + std::string(3u << 20, '\x42');
    CHECK(read_base64_image_info(base64_encode(image)) == info("image/png", 256, 128));

    // Line-wrapped, unpadded, and followed far beyond the prefix by text that is not base64:
    // the header is read; validating the rest is base64_validate's job.
    std::string wrapped;
    const auto encoded = base64_encode(gif("GIF89a", 3, 4) + std::string(20000, '\0'));
    for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
    CHECK(read_base64_image_info(wrapped + "!!not base64!!") == info("image/gif", 3, 4));

    CHECK(read_base64_image_info(base64_encode(webp_lossless(7, 9))) == info("image/webp", 7, 9));
}

TEST_CASE("base64: a JPEG whose frame header follows large metadata") {
    // 40 KB of EXIF before the frame header: past the first few KB, within the 64 KB cap.
    const auto exif = jpeg_segment(0xE1, "Exif" + std::string(40000, 'e'));
    const auto with_exif = kSoi + exif + sof(0xC0, 300, 200) + std::string(100000, 'd');
    CHECK(read_base64_image_info(base64_encode(with_exif)) == info("image/jpeg", 300, 200));

    // Two 60 KB segments put it beyond the cap: reported as unreadable rather than read on.
    const auto big = jpeg_segment(0xE2, std::string(60000, 'i'));
    CHECK_FALSE(read_base64_image_info(base64_encode(kSoi + big + big + sof(0xC0, 300, 200))));
}

TEST_CASE("base64: not an image, or not base64") {
    CHECK_FALSE(read_base64_image_info(""));
    CHECK_FALSE(read_base64_image_info(base64_encode("just some text, long enough to matter")));
    CHECK_FALSE(read_base64_image_info("iVBORw0K-Ggo"));
    CHECK_FALSE(read_base64_image_info(base64_encode(png(1, 1)).substr(0, 20)));  // truncated
}
