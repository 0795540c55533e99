#include "tools/pixel_fixer_request.h"

#include <doctest/doctest.h>

#include "common/base64.h"
#include "tests/support/image_input_policies.h"
#include "tests/support/test_images.h"
#include "tests/support/text_checks.h"
#include "tools/json_pieces.h"

using namespace rdmcp;
using namespace rdmcp::tools;
using rdmcp::protocol::Json;
using rdmcp::testing::contains;
using rdmcp::testing::kRemote;
using rdmcp::testing::png_header_base64;

namespace {

std::string refusal(const Json& arguments) {
    auto built = build_pixel_fixer_request(arguments, kRemote);
    REQUIRE(std::holds_alternative<std::string>(built));
    return std::get<std::string>(built);
}

}  // namespace

TEST_CASE("a Pixel Fixer request: standard by default, the image sent apart") {
    const std::string image = png_header_base64(256, 256);
    auto built =
        build_pixel_fixer_request({{"input_image", "data:image/png;base64," + image}}, kRemote);
    REQUIRE(std::holds_alternative<PixelFixerRequest>(built));
    auto& request = std::get<PixelFixerRequest>(built);
    CHECK(request.engine == PixelFixerEngine::Standard);
    CHECK(pixel_fixer_path(request.engine) == "/pixel-fixer/standard");
    CHECK(upstream_body(request) == Json::object());
    CHECK(request.request_bytes == image.size() + 18);  // {"input_image":"..."}
    const Json member = take_image_member(request);
    CHECK(member == Json{{"input_image", image}});
    CHECK(JsonPieces(upstream_body(request), member).size() == image.size() + 18);
}

TEST_CASE("a neural request carries its size; image_url goes in the body") {
    auto neural = build_pixel_fixer_request({{"input_image", png_header_base64(64, 64)},
                                             {"engine", "neural"},
                                             {"width", 32},
                                             {"height", 16}},
                                            kRemote);
    REQUIRE(std::holds_alternative<PixelFixerRequest>(neural));
    const auto& request = std::get<PixelFixerRequest>(neural);
    CHECK(pixel_fixer_path(request.engine) == "/pixel-fixer/neural");
    CHECK(upstream_body(request) == Json{{"width", 32}, {"height", 16}});

    auto linked =
        build_pixel_fixer_request({{"image_url", "https://cdn.example.com/soft.png"}}, kRemote);
    REQUIRE(std::holds_alternative<PixelFixerRequest>(linked));
    CHECK(upstream_body(std::get<PixelFixerRequest>(linked)) ==
          Json{{"image_url", "https://cdn.example.com/soft.png"}});
    CHECK(!std::get<PixelFixerRequest>(linked).image);
}

TEST_CASE("Pixel Fixer's limits are checked before sending, each refusal naming its argument") {
    CHECK(contains(refusal(Json::object()), "'input_image'"));
    CHECK(contains(
        refusal({{"input_image", png_header_base64(32, 32)}, {"image_url", "https://a.b/c"}}),
        "exactly one"));
    CHECK(contains(refusal({{"image_url", "http://a.b/c.png"}}), "https://"));
    CHECK(contains(refusal({{"image_url", "https://a.b/" + std::string(2080, 'x')}}), "2083"));
    CHECK(
        contains(refusal({{"input_image", png_header_base64(32, 32)}, {"height", 16}}), "neural"));
    CHECK(contains(refusal({{"input_image", png_header_base64(32, 32)}, {"engine", "turbo"}}),
                   "engine"));
    CHECK(contains(
        refusal({{"input_image", png_header_base64(32, 32)}, {"engine", "neural"}, {"width", 0}}),
        "'width'"));
    CHECK(contains(refusal({{"input_image", png_header_base64(16, 15)}}), "16x16"));
    CHECK(contains(refusal({{"input_image", png_header_base64(4000, 4001)}}), "16 megapixels"));
    CHECK(contains(refusal({{"input_image", png_header_base64(32, 32)}, {"output_dir", "/tmp"}}),
                   "output_dir"));
}

TEST_CASE("the 900,000-byte limit is the JSON's exact size") {
    // A 33-byte header plus the rest: 674,976 bytes are 899,968 characters of base64.
    const std::string at_limit = png_header_base64(64, 64, 674'976 - 33);
    REQUIRE(at_limit.size() == 899'968);
    // {"width":10000,"input_image":"..."} adds 32 bytes: exactly 900,000.
    const Json neural = {{"engine", "neural"}, {"width", 10000}};
    Json arguments = neural;
    arguments["input_image"] = at_limit;
    auto built = build_pixel_fixer_request(arguments, kRemote);
    REQUIRE(std::holds_alternative<PixelFixerRequest>(built));
    CHECK(std::get<PixelFixerRequest>(built).request_bytes == 900'000);

    arguments["width"] = 100000;  // one more byte
    const std::string over = refusal(arguments);
    CHECK(contains(over, "900001 bytes of JSON"));
    CHECK(contains(over, "'image_url'"));
}
