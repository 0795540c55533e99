#include "tools/image_input.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/base64.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_images.h"
#include "tests/support/text_checks.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using rdmcp::testing::contains;
using rdmcp::testing::png_header;
using rdmcp::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string jpeg(unsigned width, unsigned height) {
    const auto w = static_cast<char>(width), h = static_cast<char>(height);
    return std::string("\xFF\xD8\xFF\xC0\x00\x0B\x08\x00", 8) + h + '\0' + w +
           std::string("\x01\x01\x11\x00", 4) + std::string(64, '\0');
}

const ImageInputPolicy kRemote1MiB{.allow_local_files = false, .max_bytes = 1u << 20};
const ImageInputPolicy kStdio1MiB{.allow_local_files = true, .max_bytes = 1u << 20};

ImageInput ok(std::string_view value, const ImageInputPolicy& policy = kRemote1MiB) {
    auto result = resolve_image_input("input_image", value, policy);
    if (auto* error = std::get_if<std::string>(&result)) FAIL("unexpected error: ", *error);
    return std::get<ImageInput>(std::move(result));
}

std::string error(std::string_view value, const ImageInputPolicy& policy = kRemote1MiB) {
    auto result = resolve_image_input("input_image", value, policy);
    if (std::holds_alternative<ImageInput>(result))
        FAIL("accepted: ", std::string(value.substr(0, 60)));
    return std::get<std::string>(std::move(result));
}

}  // namespace

TEST_CASE("raw base64 is passed on as it is") {
    const auto encoded = base64_encode(png_header(64, 32));
    const auto input = ok(encoded);
    CHECK(input.base64 == encoded);
    CHECK(input.info == ImageInfo{"image/png", 64, 32});
    CHECK(input.source == "base64");
}

TEST_CASE("whitespace is stripped and missing padding added, as the API needs") {
    const auto encoded = base64_encode(png_header(8, 8) + "x");  // ends in "=="
    std::string wrapped;
    for (std::size_t i = 0; i < encoded.size(); i += 10) wrapped += encoded.substr(i, 10) + "\n";
    CHECK(ok("  " + wrapped).base64 == encoded);

    const auto unpadded = encoded.substr(0, encoded.find('='));
    CHECK(ok(unpadded).base64 == encoded);
}

TEST_CASE("base64 of a JPEG starts with '/' and is still base64") {
    const auto encoded = base64_encode(jpeg(40, 30));
    REQUIRE(encoded.rfind("/9j/", 0) == 0);
    CHECK(ok(encoded).info == ImageInfo{"image/jpeg", 40, 30});
    CHECK(ok(encoded, kStdio1MiB).source == "base64");
}

TEST_CASE("a data: URL loses its prefix, which the API rejects") {
    const auto encoded = base64_encode(png_header(16, 16));
    const auto input = ok("data:image/png;base64," + encoded);
    CHECK(input.base64 == encoded);
    CHECK(input.source == "data URL");
    CHECK(ok("DATA:Image/PNG;BASE64," + encoded).base64 == encoded);
    CHECK(ok("data:image/png;name=sprite.png;base64," + encoded).base64 == encoded);
    // The content decides the type: a JPEG labelled image/png is still a JPEG.
    CHECK(ok("data:image/png;base64," + base64_encode(jpeg(2, 3))).info.mime_type == "image/jpeg");
}

TEST_CASE("data: URLs that are not base64 images are refused with the reason") {
    const auto text = error("data:text/plain;base64,aGVsbG8=");
    CHECK(contains(text, "field 'input_image'"));
    CHECK(contains(text, "'text/plain', not an image"));
    CHECK(contains(error("data:;base64,aGVsbG8="), "text/plain"));
    CHECK(contains(error("data:image/png,%89PNG"), "not base64-encoded"));
    CHECK(contains(error("data:image/png;base64"), "no ','"));
    CHECK(contains(error("data:image/svg+xml;base64," + base64_encode("<svg/>")),
                   "is not a PNG/JPEG/GIF/WEBP image"));
}

TEST_CASE("content that is not an image says what it starts with") {
    const auto text = error(base64_encode("<html><body>Not Found</body></html>"));
    CHECK(contains(text,
                   "field 'input_image' is not a PNG/JPEG/GIF/WEBP image (first bytes 3c 68 74 6d "
                   "6c 3e 3c 62"));
    CHECK(contains(text, "\"<html><b\""));
    CHECK(contains(error(base64_encode(std::string("\x89PNG\r\n\x1a\n", 8))),
                   "starts like image/png but its header is truncated"));
}

TEST_CASE("bad base64 is pointed at") {
    CHECK(contains(error("iVBORw0KGgo-AAAA"), "unexpected character '-' at offset 11 (URL-safe"));
    CHECK(contains(error("iVBORw0KGgo\x01"), "byte 0x01"));
    CHECK(contains(error("iVBORw0KGgoAA"), "length or '=' padding is wrong"));
    CHECK(contains(error("hello there!"), "is not valid base64"));
}

TEST_CASE("the size limit is checked before anything is decoded") {
    const ImageInputPolicy tight{.allow_local_files = false, .max_bytes = 50};
    const auto small_image = png_header(8, 8);
    const auto text = error(base64_encode(small_image), tight);
    CHECK(contains(text, "is " + std::to_string(small_image.size()) +
                             " bytes once decoded, over the limit of 50 bytes"));
    const auto large_image = png_header(8, 8) + std::string(3u << 20, '\0');
    const auto large = error(base64_encode(large_image), kRemote1MiB);
    CHECK(contains(large,
                   "is 3.0 MiB (" + std::to_string(large_image.size()) + " bytes) once decoded"));
    CHECK(contains(large, "over the limit of 1.0 MiB (1048576 bytes)"));
}

TEST_CASE("empty values and web URLs") {
    CHECK(contains(error(""), "field 'input_image' is empty"));
    CHECK(contains(error(" \n "), "is empty"));
    CHECK(contains(error("https://example.com/cat.png"), "does not download images"));
}

TEST_CASE("paths are refused when the server is not local, with what to send instead") {
    for (const char* path : {"/home/me/cat.png", "~/cat.png", "file:///tmp/cat.png",
                             "C:\\Users\\me\\cat.png", "images/cat.png", "cat.png", "/tmp/abc"}) {
        CAPTURE(path);
        const auto text = error(path);
        CHECK(contains(text, "field 'input_image' looks like a local file path"));
        CHECK(contains(text, "only work when the server runs locally over stdio"));
        CHECK(contains(text, "base64 or a data:image/png;base64"));
    }
}

TEST_CASE("local files over stdio are read and encoded") {
    TempDir dir;
    const auto image = png_header(48, 24);
    const auto path = dir.write("sprite.png", image);

    const auto input = ok(path.string(), kStdio1MiB);
    CHECK(input.base64 == base64_encode(image));
    CHECK(input.info == ImageInfo{"image/png", 48, 24});
    CHECK(input.source == "file " + path.string());

    dir.write("with space.png", image);
    CHECK(ok("file://" + (dir.path / "with%20space.png").string(), kStdio1MiB).info.width == 48);
    CHECK(ok("file://localhost" + path.string(), kStdio1MiB).info.width == 48);
    CHECK(ok((dir.path / "." / "sprite.png").string(), kStdio1MiB).source ==
          "file " + path.string());
}

TEST_CASE("~/ is the server's home directory") {
    TempDir dir;
    dir.write("cat.png", png_header(5, 5));
    const char* saved = std::getenv("HOME");
    const std::string old_home = saved ? saved : "";
    ::setenv("HOME", dir.path.c_str(), 1);
    const auto input = ok("~/cat.png", kStdio1MiB);
    if (saved)
        ::setenv("HOME", old_home.c_str(), 1);
    else
        ::unsetenv("HOME");
    CHECK(input.info.width == 5);
    CHECK(contains(error("~bob/cat.png", kStdio1MiB), "'~user'"));
}

TEST_CASE("file problems say which file and what is wrong") {
    TempDir dir;
    CHECK(contains(error((dir.path / "missing.png").string(), kStdio1MiB),
                   "no file at '" + (dir.path / "missing.png").string()));
    CHECK(contains(error(dir.path.string() + "/", kStdio1MiB), "is a directory"));
    CHECK(contains(error("images/cat.png", kStdio1MiB), "is a relative path"));
    CHECK(contains(error("file://server/share/cat.png", kStdio1MiB), "on another host"));
    CHECK(contains(error("file:///tmp/bad%2", kStdio1MiB), "bad %-escape"));

    const auto text_file = dir.write("notes.png", "these are not pixels");
    CHECK(contains(error(text_file.string(), kStdio1MiB),
                   "is not a PNG/JPEG/GIF/WEBP image (first bytes 74 68 65 73"));

    const auto big_image = png_header(8, 8) + std::string(2000, '\0');
    const auto big = dir.write("big.png", big_image);
    const ImageInputPolicy small{.allow_local_files = true, .max_bytes = 1000};
    const auto too_large = error(big.string(), small);
    CHECK(contains(too_large, "is 2.0 KiB (" + std::to_string(big_image.size()) + " bytes)"));
    CHECK(contains(too_large, "over the limit of 1000 bytes"));
}
