// The pixel facts the edit tools' rules need: what a mask selects, whether a GIF is animated.
#include "tools/image_pixels.h"

#include <doctest/doctest.h>

#include "common/base64.h"
#include "tests/support/test_images.h"

using namespace rdmcp::tools;
using namespace rdmcp::testing;

namespace {

MaskCoverage coverage_of(const std::string& base64) {
    std::string problem;
    auto coverage = png_mask_coverage(bytes_of(base64), problem);
    REQUIRE_MESSAGE(coverage, problem);
    return *coverage;
}

}  // namespace

TEST_CASE("An RGBA mask selects the pixels whose alpha is above 12") {
    const auto mask = coverage_of(rgba_png_base64(32, 16, rectangle(0, 0, 8, 4)));
    CHECK(mask.read == MaskCoverage::Read::Alpha);
    CHECK(mask.total == 32 * 16);
    CHECK(mask.selected == 8 * 4);

    // 12 protects, 13 selects: the documented threshold, on both sides.
    const auto edge =
        coverage_of(rgba_png_base64(16, 16, [](int x, int) { return x < 8 ? 12 : 13; }));
    CHECK(edge.selected == 8 * 16);

    const auto empty = coverage_of(rgba_png_base64(16, 16, [](int, int) { return 0; }));
    CHECK(empty.selected == 0);
}

TEST_CASE("A grayscale mask selects values above 12; an opaque RGB image selects everything") {
    const auto gray = coverage_of(gray_png_base64(20, 20, rectangle(5, 5, 10, 10)));
    CHECK(gray.read == MaskCoverage::Read::Gray);
    CHECK(gray.selected == 25);

    const auto rgb = coverage_of(rgb_png_base64(24, 24));
    CHECK(rgb.read == MaskCoverage::Read::Opaque);
    CHECK(rgb.selected == rgb.total);
}

TEST_CASE("A mask that is not a whole PNG is reported, not guessed") {
    const std::string png = bytes_of(rgba_png_base64(16, 16, rectangle(0, 0, 4, 4)));
    std::string problem;
    CHECK_FALSE(png_mask_coverage(png.substr(0, png.size() / 2), problem));
    CHECK_FALSE(problem.empty());
    problem.clear();
    CHECK_FALSE(png_mask_coverage("not a png at all", problem));
    CHECK_FALSE(problem.empty());
}

TEST_CASE("GIF frames are counted without decoding them") {
    CHECK(gif_frame_count(bytes_of(gif_base64(16, 16, 1))) == 1);
    CHECK(gif_frame_count(bytes_of(gif_base64(16, 16, 3))) == 2);  // two are enough to know
    CHECK_FALSE(gif_frame_count("GIF89a garbage"));
    CHECK_FALSE(gif_frame_count(""));
}
